/**
 * A small HTTP/1.1 server on `Deno.listen`, for the collector's loopback listener. Deno's own
 * servers cost more than the collector can spend while idle (`node:http` initialises the Node
 * compatibility layer: 5-10 MB), and `Deno.serve` can neither cap connections nor time out a
 * client that never finishes its head (measured: an idle connection and a half-sent head are
 * both kept for ever). This one gives the collector what an always-on agent needs:
 *
 * - a cap on open connections (past it, an idle kept-alive connection is closed to make room,
 *   or the newcomer waits a moment for one to end, and is then closed unanswered);
 * - an idle timeout between requests, a header timeout (the head must arrive within it: 408),
 *   and a request timeout (the whole request within it: 408);
 * - heads of at most 16 KiB (431), strict framing (see {@link parseHttp1Head}), chunked bodies,
 *   `Expect: 100-continue`, keep-alive and pipelined requests (answered in order);
 * - bodies read only when the handler asks, up to a limit it gives, straight into one array.
 *
 * @module
 */
import { BufferedReader } from "./buffered_reader.ts";
import { type Http1Head, parseHttp1Head } from "./parse_http1_head.ts";
import { joinOwnedBytes } from "../bytes/join_owned_bytes.ts";
import { encodeHttp1Response, type Http1Response } from "./encode_http1_response.ts";
import { encodeServerAnswer } from "./encode_server_answer.ts";

export type { Http1Response } from "./encode_http1_response.ts";

/** A body read up to a limit: the bytes, `tooLarge` (not read further), or `aborted`. */
export type ReadBodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; tooLarge: true; aborted?: undefined }
  | { ok: false; aborted: true; tooLarge?: undefined };

/** A request as the handler sees it: its head, and its body on demand. */
export interface Http1Request {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  /** Lowercase names; repeated fields joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** The declared body length; `undefined` for a chunked body. */
  readonly contentLength: number | undefined;
  /**
   * The whole body, if it is at most `maxBytes` (a declared length over it is refused before
   * anything is read). `aborted`: the client went away (or reset the connection), stalled past
   * the request timeout (the server has then answered 408 itself, and calls `onAborted` as for a
   * client gone away), or sent a malformed chunked body (the server has answered 400 itself);
   * answer nothing either way. It does not throw for any of these.
   */
  readBody(maxBytes: number): Promise<ReadBodyResult>;
  /** The body as a stream (for a framework that reads it itself, with its own limit). */
  bodyStream(): ReadableStream<Uint8Array>;
}

/**
 * Answers a request; `undefined` answers nothing and ends the connection (the client went
 * away while sending its body).
 */
export type Http1Handler = (request: Http1Request) => Promise<Http1Response | undefined>;

/** Limits and hooks of {@link serveHttp1}. */
export interface Http1ServerOptions {
  hostname: string;
  port: number;
  /**
   * Open connections past this many are closed unanswered: once a kept-alive connection waiting
   * between requests was closed to make room, or none finished within `capGraceMs`.
   */
  maxConnections: number;
  /** How long a connection past the cap waits for a place. Default 500 ms. */
  capGraceMs?: number;
  /**
   * Under the cap, a connection that has sent nothing for this long may be closed to make room,
   * like one idle between requests. Default 1 s.
   */
  silentConnectionGraceMs?: number;
  /**
   * A new or kept-alive connection with no request for this long is closed, and so is one whose
   * client has not taken its response within this long (it stopped reading). Default 5 s.
   */
  idleTimeoutMs?: number;
  /** A request's head must arrive within this of its first byte, or 408. Default 10 s. */
  headersTimeoutMs?: number;
  /** A request (head and body) must arrive within this of its first byte, or 408. Default 60 s. */
  requestTimeoutMs?: number;
  /** Largest head (request line and fields). Default 16 KiB. */
  maxHeadBytes?: number;
  onConnectionRefused?: () => void;
  /**
   * A connection waiting between requests, or one that never sent anything, was closed to make
   * room under the cap.
   */
  onIdleConnectionClosed?: () => void;
  /** A client went away in the middle of sending a request. */
  onAborted?: () => void;
  /**
   * The handler threw, or its response could not be sent as given (a field held a line break,
   * which would let request data inject fields): a bug either way. The client got a 500.
   */
  onHandlerError?: (error: unknown) => void;
}

/** A listening {@link serveHttp1} server. */
export interface Http1Server {
  readonly hostname: string;
  readonly port: number;
  /** Connections open now. */
  connections(): number;
  /** Stops accepting, closes idle connections, lets requests in progress finish, then resolves. */
  close(): Promise<void>;
}

const CHUNK_LINE_BYTES = 4096;
const TRAILER_BYTES = 16 * 1024;
const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");
const ON_A_NEW_CONNECTION =
  "The server closed this connection: send the request again on a new one";

interface Connection {
  conn: Deno.Conn;
  /** Waiting for a request's first byte (the server may close it). */
  idle: boolean;
  /** Requests answered on it so far. */
  served: number;
  /** When it was accepted (`Date.now()` milliseconds). */
  openedAt: number;
  /** When its current timeout fires (`Date.now()` milliseconds), or 0 for none. */
  deadline: number;
  onDeadline: () => void;
  closed: boolean;
}

/**
 * Listens on `hostname:port` (throws `Deno.errors.AddrInUse` and the like at once) and serves
 * `handler`.
 *
 * @example
 * ```ts
 * import { serveHttp1 } from "./serve_http1.ts";
 * const server = serveHttp1(
 *   { hostname: "127.0.0.1", port: 0, maxConnections: 16 },
 *   () => Promise.resolve({ status: 200, body: new TextEncoder().encode("ok") }),
 * );
 * await server.close();
 * ```
 */
export function serveHttp1(options: Http1ServerOptions, handler: Http1Handler): Http1Server {
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const open = new Set<Connection>();
  let closing = false;
  let closed: Promise<void> | undefined;
  let allClosed: (() => void) | undefined;
  const limits = {
    idle: options.idleTimeoutMs ?? 5_000,
    headers: options.headersTimeoutMs ?? 10_000,
    request: options.requestTimeoutMs ?? 60_000,
    head: options.maxHeadBytes ?? 16 * 1024,
  };

  // One timer for every connection's timeouts: each arms a deadline (a number), and a sweep a few
  // times per shortest timeout fires those past. A request then costs no timer calls. The sweep
  // runs only while connections are open: an idle collector has no timer (a running interval
  // alone measured 3.5 MiB more idle memory).
  const sweepEveryMs = Math.max(
    10,
    Math.min(250, Math.floor(Math.min(limits.idle, limits.headers, limits.request) / 4)),
  );
  let sweeper: ReturnType<typeof setInterval> | undefined;
  const sweep = () => {
    const now = Date.now();
    for (const connection of open) {
      if (connection.deadline !== 0 && now >= connection.deadline) {
        connection.deadline = 0;
        connection.onDeadline();
      }
    }
  };
  const startSweeping = () => {
    if (sweeper !== undefined) return;
    sweeper = setInterval(sweep, sweepEveryMs);
    Deno.unrefTimer(sweeper as unknown as number);
  };
  const stopSweeping = () => {
    clearInterval(sweeper);
    sweeper = undefined;
  };

  let slotFreed: (() => void) | undefined;
  const finish = (connection: Connection) => {
    closeQuietly(connection);
    open.delete(connection);
    if (open.size === 0) stopSweeping();
    slotFreed?.();
    if (closing && open.size === 0) allClosed?.();
  };
  // At the cap: a connection waiting between requests gives its place (its client reconnects
  // when it has something to send); otherwise a burst of short connections (clients that exit
  // mid-export) gets a moment to finish before the newcomer is refused.
  const makeRoom = async () => {
    // First a kept-alive connection between requests; else the oldest that has sent nothing at
    // all for a while (a client with something to send sends it as soon as it connects).
    const silentBefore = Date.now() - (options.silentConnectionGraceMs ?? 1_000);
    let victim: Connection | undefined;
    for (const connection of open) {
      if (!connection.idle) continue;
      if (connection.served > 0) {
        victim = connection;
        break;
      }
      if (
        connection.openedAt <= silentBefore && (!victim || connection.openedAt < victim.openedAt)
      ) victim = connection;
    }
    if (victim) {
      closeQuietly(victim);
      options.onIdleConnectionClosed?.();
    }
    const deadline = Date.now() + (options.capGraceMs ?? 500);
    while (open.size >= options.maxConnections && Date.now() < deadline && !closing) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        slotFreed = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      slotFreed = undefined;
    }
  };

  const accepting = (async () => {
    while (!closing) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (closing || error instanceof Deno.errors.BadResource) return;
        // Out of descriptors and the like: wait a moment rather than spin.
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (open.size >= options.maxConnections && !closing) await makeRoom();
      if (open.size >= options.maxConnections || closing) {
        // (A connection that arrives while the server closes is not a refusal under the cap.)
        if (!closing) options.onConnectionRefused?.();
        try {
          conn.close();
        } catch { /* already closed */ }
        continue;
      }
      const connection: Connection = {
        conn,
        idle: true,
        served: 0,
        openedAt: Date.now(),
        closed: false,
        deadline: 0,
        onDeadline: () => {},
      };
      open.add(connection);
      startSweeping();
      try {
        (conn as Deno.TcpConn).setNoDelay?.(true);
      } catch { /* not a TCP connection */ }
      serveConnection(connection, handler, limits, options, () => closing).finally(() =>
        finish(connection)
      );
    }
  })();

  const address = listener.addr as Deno.NetAddr;
  return {
    hostname: address.hostname,
    port: address.port,
    connections: () => open.size,
    // One promise for every caller: a second call must not replace the first one's resolver.
    close: () =>
      closed ??= (async () => {
        closing = true;
        try {
          listener.close();
        } catch { /* already closed */ }
        // (The sweeper keeps running: a request in flight still times out.)
        for (const connection of open) if (connection.idle) closeQuietly(connection);
        await accepting;
        if (open.size > 0) await new Promise<void>((resolve) => (allClosed = resolve));
        stopSweeping();
      })(),
  };
}

/** Serves one connection's requests in order until it ends. */
async function serveConnection(
  connection: Connection,
  handler: Http1Handler,
  limits: { idle: number; headers: number; request: number; head: number },
  options: Http1ServerOptions,
  isClosing: () => boolean,
): Promise<void> {
  const { conn } = connection;
  const reader = new BufferedReader(conn);
  // Set when the server answered on its own (a timeout, bad framing): the handler's answer, if
  // it comes, is dropped, and the connection ends.
  let answered = false;
  const answerAndClose = (status: 400 | 408, problem: string, remedy: string) => {
    if (!answered && !connection.closed) {
      answered = true;
      writeAll(conn, encodeServerAnswer(status, problem, remedy)).catch(() => {}).finally(() =>
        closeQuietly(connection)
      );
    } else closeQuietly(connection);
  };
  const arm = (ms: number, onTimeout: () => void) => {
    connection.deadline = Date.now() + ms;
    connection.onDeadline = onTimeout;
  };
  const disarm = () => (connection.deadline = 0);
  let headStartedAt = 0;
  try {
    while (!isClosing() && !connection.closed) {
      connection.idle = true;
      answered = false;
      arm(limits.idle, () => closeQuietly(connection));
      const raw = await reader.readHead(limits.head, () => {
        connection.idle = false;
        arm(limits.headers, () =>
          answerAndClose(
            408,
            `The request head did not arrive within ${limits.headers} ms of its first byte.`,
            `Send the whole head without pausing. ${ON_A_NEW_CONNECTION}.`,
          ));
        headStartedAt = connection.deadline - limits.headers;
      });
      connection.idle = false;
      if (raw === "end") return;
      const head = raw === "too-large" ? undefined : parseHttp1Head(raw);
      if (head === undefined || "status" in head) {
        arm(limits.idle, () => closeQuietly(connection));
        await writeAll(
          conn,
          head === undefined
            ? encodeServerAnswer(
              431,
              `The request head is larger than ${limits.head} bytes.`,
              `Send fewer or shorter header fields. ${ON_A_NEW_CONNECTION}.`,
            )
            : encodeServerAnswer(
              head.status,
              `${head.message}.`,
              `Correct the request (HTTP/1.1, RFC 9112). ${ON_A_NEW_CONNECTION}.`,
            ),
        );
        return;
      }
      // The whole request, from its head's first byte, until its body is read.
      arm(limits.request, () =>
        answerAndClose(
          408,
          `The request did not arrive whole within ${limits.request} ms of its first byte.`,
          `Send its body without pausing. ${ON_A_NEW_CONNECTION}.`,
        ));
      connection.deadline = headStartedAt + limits.request;
      const body = createBody(head, reader, conn, {
        onDone: disarm,
        onAborted: () => options.onAborted?.(),
        onMalformed: (message) =>
          answerAndClose(
            400,
            `Bad request: ${message}.`,
            "Send a well-formed chunked body (RFC 9112, section 7.1) or a Content-Length. " +
              `${ON_A_NEW_CONNECTION}.`,
          ),
      });
      if (body.consumed()) disarm(); // no body: nothing more to wait for from the client
      let keepAlive = false;
      let bytes: Uint8Array | undefined;
      try {
        const response = await handler(body.request);
        // (Not encoded once the server answered on its own: it is dropped.)
        if (response !== undefined && !answered && !connection.closed) {
          keepAlive = head.keepAlive && !response.close && body.consumed() && !isClosing();
          bytes = encodeHttp1Response(response, keepAlive, head.method === "HEAD");
        }
      } catch (error) {
        // The handler threw, or a field it built (from request data, say) held a line break,
        // which encodeHttp1Response refuses (header injection): a bug either way, reported once.
        options.onHandlerError?.(error);
        keepAlive = false;
        bytes = encodeServerAnswer(
          500,
          "Internal error in the server: it failed to answer this request (see its log).",
          `Report it with the server's log. ${ON_A_NEW_CONNECTION}.`,
          head.method === "HEAD",
        );
      }
      disarm();
      // Answered by the server already (a timeout, a malformed body), or nothing to answer.
      if (answered || connection.closed || bytes === undefined) return;
      // A client that reads none of its responses must not hold its connection for ever.
      arm(limits.idle, () => closeQuietly(connection));
      await writeAll(conn, bytes);
      connection.served++;
      if (!keepAlive) return;
    }
  } catch {
    // The connection failed or was closed under a read or write: nothing more to do on it.
  } finally {
    disarm();
  }
}

/** The request object and its body state. */
function createBody(
  head: Http1Head,
  reader: BufferedReader,
  conn: Deno.Conn,
  hooks: { onDone(): void; onAborted(): void; onMalformed(message: string): void },
) {
  let consumed = head.body.kind === "length" && head.body.length === 0;
  let started = false;
  let continued = false;
  // What is left of the current chunk (chunked), or of the body (length).
  let remaining = head.body.kind === "length" ? head.body.length : 0;
  let chunkedEnded = false;

  const start = async () => {
    started = true;
    if (head.expectContinue && !continued && reader.buffered === 0) {
      continued = true;
      await writeAll(conn, CONTINUE);
    }
  };
  const aborted = (): ReadBodyResult => {
    hooks.onAborted();
    return { ok: false, aborted: true };
  };
  const malformed = (message: string): ReadBodyResult => {
    hooks.onMalformed(message);
    return { ok: false, aborted: true };
  };

  /** The next piece of a chunked body: bytes, null at its end, or a failed result. */
  const nextChunkPiece = async (
    maxPiece: number,
  ): Promise<Uint8Array | null | ReadBodyResult> => {
    if (chunkedEnded) return null;
    if (remaining === 0) {
      const line = await reader.readLine(CHUNK_LINE_BYTES);
      if (line === "end") return aborted();
      if (line === "too-large") return malformed("a chunk-size line is too long");
      const match = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!match) return malformed("a malformed chunk size");
      remaining = parseInt(match[1], 16);
      if (remaining === 0) {
        let trailers = 0;
        while (true) {
          const trailer = await reader.readLine(TRAILER_BYTES);
          if (trailer === "end") return aborted();
          if (trailer === "too-large") return malformed("the trailer fields are too large");
          if (trailer === "") break;
          trailers += trailer.length;
          if (trailers > TRAILER_BYTES) return malformed("the trailer fields are too large");
        }
        chunkedEnded = true;
        return null;
      }
    }
    const piece = await reader.readSome(Math.min(remaining, maxPiece));
    if (piece === null) return aborted();
    remaining -= piece.length;
    if (remaining === 0) {
      const end = await reader.readLine(0);
      if (end === "end") return aborted();
      if (end !== "") return malformed("a chunk's data is longer than its size");
    }
    return piece;
  };

  const request: Http1Request = {
    method: head.method,
    target: head.target,
    path: head.path,
    headers: head.headers,
    contentLength: head.body.kind === "length" ? head.body.length : undefined,
    async readBody(maxBytes) {
      if (started) throw new Error("the request body was already read");
      try {
        if (head.body.kind === "length") {
          if (head.body.length > maxBytes) return { ok: false, tooLarge: true };
          await start();
          const body = new Uint8Array(head.body.length);
          if (!(await reader.readInto(body))) return aborted();
          remaining = 0;
          consumed = true;
          hooks.onDone();
          return { ok: true, body };
        }
        await start();
        const pieces: Uint8Array[] = [];
        let size = 0;
        while (true) {
          const piece = await nextChunkPiece(maxBytes - size + 1);
          if (piece === null) break;
          if (!(piece instanceof Uint8Array)) return piece;
          size += piece.length;
          if (size > maxBytes) return { ok: false, tooLarge: true };
          pieces.push(piece);
        }
        consumed = true;
        hooks.onDone();
        // The pieces are the body's own (readSome slices).
        return { ok: true, body: joinOwnedBytes(pieces, size) };
      } catch {
        // The connection failed under a read: reset by the client, or closed by a timeout.
        return aborted();
      }
    },
    bodyStream() {
      if (started) throw new Error("the request body was already read");
      return new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          try {
            if (!started) await start();
            if (head.body.kind === "length") {
              if (remaining === 0) {
                consumed = true;
                hooks.onDone();
                controller.close();
                return;
              }
              const piece = await reader.readSome(Math.min(remaining, 64 * 1024));
              if (piece === null) {
                aborted();
                controller.error(new Error("the client went away before sending its whole body"));
                return;
              }
              remaining -= piece.length;
              controller.enqueue(piece);
              return;
            }
            const piece = await nextChunkPiece(64 * 1024);
            if (piece === null) {
              consumed = true;
              hooks.onDone();
              controller.close();
            } else if (piece instanceof Uint8Array) controller.enqueue(piece);
            else controller.error(new Error("the request body ended early or was malformed"));
          } catch {
            aborted();
            controller.error(new Error("the client went away before sending its whole body"));
          }
        },
      }, { highWaterMark: 0 });
    },
  };
  return { request, consumed: () => consumed };
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

function closeQuietly(connection: Connection) {
  if (connection.closed) return;
  connection.closed = true;
  try {
    connection.conn.close();
  } catch { /* already closed */ }
}
