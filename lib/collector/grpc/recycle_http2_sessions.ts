/**
 * The stream cap of the gRPC listener: no HTTP/2 session (connection) of the server carries more
 * than a fixed number of streams. Deno's `node:http2` server dies when a session that carried
 * many streams goes away (denoland/deno#36788; see `start_grpc_listener.ts` for what was
 * measured), so each session is recycled: a little before the cap the server sends GOAWAY, lets
 * the calls in flight finish, and closes the session; gRPC clients open a new connection on
 * their own. This module also keeps session, stream and socket errors from becoming uncaught
 * errors, tells a client's normal close (grpc-go's included) from a real fault, and closes idle
 * sessions.
 *
 * @module
 */

import type {
  Http2Server,
  Http2ServerRequest,
  Http2ServerResponse,
  ServerHttp2Session,
} from "node:http2";

// RFC 9113's REFUSED_STREAM (node:http2's constants.NGHTTP2_REFUSED_STREAM), written out so
// that this module needs no value from node:http2 (a static one is hoisted into the bundle).
const REFUSED_STREAM = 0x7;

/** Counters of a {@linkcode SessionRecycler}, for tests and status output. */
export interface SessionRecyclerStats {
  /** Sessions open now. */
  sessions: number;
  /** Streams open now, over every session. */
  streams: number;
  /** Sessions the guard closed because they neared the stream limit. */
  sessionsRecycled: number;
  /** Streams refused (RST_STREAM REFUSED_STREAM) because their session was at the limit. */
  streamsRefused: number;
  /** The most streams any one session has carried (accepted or refused) so far. */
  maxStreamsSeen: number;
}

/** A request listener of `node:http2`'s compatibility API. */
export type Http2RequestListener = (
  request: Http2ServerRequest,
  response: Http2ServerResponse,
) => void;

/** What {@linkcode recycleHttp2Sessions} attaches to a server. */
export interface SessionRecycler {
  /**
   * Wraps the server's request listener: counts each stream against its session, starts the
   * session's graceful close (GOAWAY) `maxConcurrentStreams - 1` streams before the cap, and,
   * as a backstop for clients that ignore the setting, refuses a stream beyond the cap with
   * REFUSED_STREAM (gRPC clients retry it on a new connection) without passing it on.
   */
  guard(next: Http2RequestListener): Http2RequestListener;
  /** Counters: open sessions and streams, sessions recycled, streams refused. */
  stats(): SessionRecyclerStats;
  /**
   * Closes every open session gracefully (GOAWAY, calls in flight finish) and resolves once all
   * are closed; a session still open after `graceMs` is destroyed.
   */
  closeAll(graceMs: number): Promise<void>;
}

/** How {@linkcode recycleHttp2Sessions} treats sessions. */
export interface SessionRecyclerOptions {
  /** Streams a session may carry, at most; `Infinity` disables the guard. */
  maxStreamsPerSession: number;
  /**
   * The `SETTINGS_MAX_CONCURRENT_STREAMS` the server announces. The GOAWAY goes out this many
   * streams (less one) before the cap: a client that keeps to the setting has at most that many
   * streams open, so it cannot take the session past the cap before it reads the GOAWAY.
   * (Streams that cross the GOAWAY are refused by Deno itself with REFUSED_STREAM, before any
   * application code sees them; gRPC clients retry them transparently on a new connection.)
   */
  maxConcurrentStreams: number;
  /** A session with no stream activity for this long is closed gracefully. */
  idleTimeoutMs: number;
  /**
   * A session that was asked to close but still has streams open after this long (a call that
   * never ends) is destroyed, so a stuck client cannot keep a recycled session alive.
   */
  closeTimeoutMs: number;
  /**
   * Told about session, stream and socket errors other than a client going away or closing
   * normally; once per error, however many of the session, its socket and the server emit it.
   */
  onError?: (error: unknown) => void;
}

/** Errors that only mean the client went away (closed, reset or timed out its connection). */
const ROUTINE_ERROR_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ERR_HTTP2_STREAM_CANCEL",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_HTTP2_INVALID_SESSION",
  "ERR_HTTP2_INVALID_STREAM",
]);

/** nghttp2's NGHTTP2_ERR_PROTO, the `errno` of a session error "Protocol error". */
const NGHTTP2_ERR_PROTO = -505;

/**
 * Whether a session error is the server refusing a client's normal close: "Protocol error" on a
 * session that carried calls and has none open.
 *
 * grpc-go (telemetrygen, the OpenTelemetry Go SDK exporters) closes every connection with a
 * GOAWAY naming its own last stream (`outgoingGoAwayHandler` sends `t.nextID - 2` in grpc-go
 * 1.85), where RFC 9113 section 6.8 asks a client for the last stream the server initiated, 0
 * here; nghttp2 refuses it with PROTOCOL_ERROR, so Deno destroys the session with
 * `ERR_HTTP2_ERROR` (errno -505) after every call already succeeded: two such errors per
 * connection, one more on the socket when the client's TCP close does not win the race. A
 * protocol error with calls in flight, or before any call, is a fault and is reported.
 *
 * (An earlier version read the client's frames from the socket to see the GOAWAY itself; a
 * `data` listener on the session's socket takes part in Deno's HTTP/2 reads, and the suite saw
 * nghttp2 abort once with it in place, so the listener judges by the session's state instead.)
 */
function isGrpcGoClose(error: unknown, state: SessionState | undefined): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  if (code !== "ERR_HTTP2_ERROR" || errno !== NGHTTP2_ERR_PROTO || !state) return false;
  return state.carried > 0 && state.open === 0;
}

interface SessionState {
  /** Streams this session has carried: accepted and refused. */
  carried: number;
  /** Streams of this session open now. */
  open: number;
  /** The guard asked this session to close. */
  closing: boolean;
  closed: Promise<void>;
}

/**
 * Attaches the session guard to an HTTP/2 server: tracks its sessions, closes each one after
 * `maxStreamsPerSession` streams or `idleTimeoutMs` without activity, and keeps session and
 * socket errors from reaching the process as uncaught errors.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http2";
 * import { recycleHttp2Sessions } from "./recycle_http2_sessions.ts";
 *
 * const server = createServer();
 * const recycler = recycleHttp2Sessions(server, {
 *   maxStreamsPerSession: 50,
 *   maxConcurrentStreams: 16,
 *   idleTimeoutMs: 60_000,
 *   closeTimeoutMs: 30_000,
 * });
 * server.on("request", recycler.guard((_request, response) => response.end("ok")));
 * ```
 */
export function recycleHttp2Sessions(
  server: Http2Server,
  options: SessionRecyclerOptions,
): SessionRecycler {
  const limit = options.maxStreamsPerSession;
  if (!(limit >= 1)) throw new RangeError(`maxStreamsPerSession must be at least 1, got ${limit}`);
  // A client that keeps to SETTINGS_MAX_CONCURRENT_STREAMS has at most that many streams open,
  // the one that triggers the GOAWAY included, so it cannot reach the limit before it reads it.
  const goawayAt = Math.max(1, limit - Math.max(1, options.maxConcurrentStreams) + 1);
  const sessions = new Map<ServerHttp2Session, SessionState>();
  /** Every session's state, closed ones too (a server's `sessionError` may come after `close`). */
  const stateOf = new WeakMap<ServerHttp2Session, SessionState>();
  let streamsOpen = 0;
  let sessionsRecycled = 0;
  let streamsRefused = 0;
  let maxStreamsSeen = 0;

  /**
   * The one error of an incident reaches the session, the server (`sessionError`) and often the
   * socket too: it is judged once, by the first listener with the most context (the session's
   * own ones are attached first), and later sightings are ignored.
   */
  const judged = new WeakSet<object>();
  const report = (error: unknown, state?: SessionState) => {
    if (typeof error === "object" && error !== null) {
      if (judged.has(error)) return;
      judged.add(error);
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && ROUTINE_ERROR_CODES.has(code)) return;
    if (isGrpcGoClose(error, state)) return;
    options.onError?.(error);
  };

  /**
   * GOAWAY now (`session.close()`): calls in flight finish, then the session closes; one still
   * open after `closeTimeoutMs` (a call that never ends) is destroyed. Deno sends the final
   * GOAWAY at once and refuses (REFUSED_STREAM) any stream that arrives after it; the two-step
   * shutdown of RFC 9113 section 6.8 (`session.goaway()` naming the largest stream id, then a
   * PING) cannot avoid that, as Deno 2.9.6 follows any GOAWAY with the final one right away.
   */
  const closeGracefully = (session: ServerHttp2Session, state: SessionState) => {
    if (state.closing) return;
    state.closing = true;
    if (session.closed || session.destroyed) return;
    const timer = setTimeout(() => session.destroyed || session.destroy(), options.closeTimeoutMs);
    // Unref'd: a session being closed must not keep the process alive on its own.
    (timer as { unref?: () => void }).unref?.();
    session.once("close", () => clearTimeout(timer));
    try {
      session.close();
    } catch (error) {
      report(error);
      session.destroy();
    }
  };

  server.on("session", (session: ServerHttp2Session) => {
    const { promise: closed, resolve } = Promise.withResolvers<void>();
    const state: SessionState = { carried: 0, open: 0, closing: false, closed };
    sessions.set(session, state);
    stateOf.set(session, state);
    session.on("error", (error) => report(error, state));
    watchSocket(session, state);
    session.setTimeout(options.idleTimeoutMs, () => closeGracefully(session, state));
    session.once("close", () => {
      streamsOpen -= state.open;
      state.open = 0;
      sessions.delete(session);
      resolve();
    });
  });
  /** The socket's errors, judged with the session's context. */
  const watchSocket = (session: ServerHttp2Session, state: SessionState) => {
    try {
      session.socket.on("error", (error: unknown) => report(error, state));
    } catch {
      // The server's own listeners below still keep errors from going uncaught.
    }
  };

  // Errors of sessions that failed before or while starting (a bad connection preface), and of
  // raw sockets whose session could not take the listeners above.
  server.on(
    "sessionError",
    (error: unknown, session?: ServerHttp2Session) =>
      report(error, session && stateOf.get(session)),
  );
  server.on(
    "connection",
    (socket: { on(event: "error", listener: (e: unknown) => void): void }) =>
      socket.on("error", (error) => report(error)),
  );

  return {
    guard(next) {
      return (request, response) => {
        const stream = request.stream;
        stream.on("error", (error: unknown) => report(error));
        const session = stream.session as ServerHttp2Session | undefined;
        const state = session && sessions.get(session);
        if (!session || !state) {
          // Not a session we saw start (should not happen): serve it, nothing to count.
          next(request, response);
          return;
        }
        state.carried++;
        if (state.carried > maxStreamsSeen) maxStreamsSeen = state.carried;
        if (state.carried > limit) {
          // Opened before the client learned of our GOAWAY: the client library retries it on a
          // new connection, and the application never saw it.
          streamsRefused++;
          stream.close(REFUSED_STREAM);
          return;
        }
        state.open++;
        streamsOpen++;
        stream.once("close", () => {
          if (state.open > 0) {
            state.open--;
            streamsOpen--;
          }
        });
        next(request, response);
        if (state.carried === goawayAt) {
          sessionsRecycled++;
          closeGracefully(session, state);
        }
      };
    },
    stats: () => ({
      sessions: sessions.size,
      streams: streamsOpen,
      sessionsRecycled,
      streamsRefused,
      maxStreamsSeen,
    }),
    async closeAll(graceMs) {
      const open = [...sessions];
      for (const [session, state] of open) closeGracefully(session, state);
      const timer = setTimeout(() => {
        for (const [session] of sessions) if (!session.destroyed) session.destroy();
      }, graceMs);
      try {
        await Promise.all(open.map(([, state]) => state.closed));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
