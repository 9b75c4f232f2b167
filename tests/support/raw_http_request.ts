/**
 * One HTTP/1.1 request written by hand on its own TCP connection, so a test can stop it halfway:
 * the headers go out with `Expect: 100-continue`, and the server's `100 Continue` proves that it
 * has taken the request in (its handler runs) before the test sends the rest of the body.
 *
 * @module
 */

/** What became of a request: a response, or the connection ended without one. */
export type RawHttpOutcome =
  | { kind: "response"; status: number; headers: Record<string, string>; body: Uint8Array }
  | { kind: "no-response"; error: string };

/** A request whose body is sent in parts. */
export interface RawHttpRequest {
  /** Sends `bytes` of the body (the caller keeps track of how much is left). */
  send(bytes: Uint8Array): Promise<void>;
  /** Reads until a final response (not `100 Continue`) or the end of the connection. */
  outcome(): Promise<RawHttpOutcome>;
  close(): void;
}

const encoder = new TextEncoder();

/**
 * Opens a connection to `port` on 127.0.0.1 and sends the head of `POST path` with a body of
 * `contentLength` bytes. With `awaitContinue`, resolves only once the server has answered
 * `100 Continue`.
 */
export async function openRawHttpRequest(options: {
  port: number;
  path: string;
  contentType: string;
  contentLength: number;
  awaitContinue: boolean;
  /** More request headers (name: value). */
  headers?: Record<string, string>;
}): Promise<RawHttpRequest> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: options.port });
  await writeAll(
    conn,
    encoder.encode(
      `POST ${options.path} HTTP/1.1\r\nhost: 127.0.0.1:${options.port}\r\n` +
        `content-type: ${options.contentType}\r\ncontent-length: ${options.contentLength}\r\n` +
        Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`)
          .join("") +
        (options.awaitContinue ? "expect: 100-continue\r\n" : "") + "\r\n",
    ),
  );
  let buffered = new Uint8Array();
  let ended: string | undefined;
  const readMore = async (): Promise<boolean> => {
    if (ended) return false;
    const chunk = new Uint8Array(64 * 1024);
    let n: number | null;
    try {
      n = await conn.read(chunk);
    } catch (error) {
      ended = `read failed: ${(error as Error).message}`;
      return false;
    }
    if (n === null) {
      ended = "the server closed the connection";
      return false;
    }
    const joined = new Uint8Array(buffered.length + n);
    joined.set(buffered);
    joined.set(chunk.subarray(0, n), buffered.length);
    buffered = joined;
    return true;
  };
  /** One response head and body from `buffered`, reading more as needed; null at the end. */
  const nextResponse = async () => {
    while (true) {
      const text = new TextDecoder("latin1").decode(buffered);
      const headEnd = text.indexOf("\r\n\r\n");
      if (headEnd >= 0) {
        const [statusLine, ...lines] = text.slice(0, headEnd).split("\r\n");
        const status = Number(statusLine.split(" ")[1]);
        const headers: Record<string, string> = {};
        for (const line of lines) {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"] ?? 0);
        while (buffered.length < headEnd + 4 + length) {
          if (!(await readMore())) return null;
        }
        const body = buffered.slice(headEnd + 4, headEnd + 4 + length);
        buffered = buffered.slice(headEnd + 4 + length);
        return { status, headers, body };
      }
      if (!(await readMore())) return null;
    }
  };
  if (options.awaitContinue) {
    const interim = await nextResponse();
    if (interim?.status !== 100) {
      conn.close();
      throw new Error(
        `expected 100 Continue, got ${interim ? interim.status : ended ?? "nothing"}`,
      );
    }
  }
  let closed = false;
  return {
    async send(bytes) {
      await writeAll(conn, bytes);
    },
    async outcome() {
      while (true) {
        const response = await nextResponse();
        if (!response) return { kind: "no-response", error: ended ?? "no response" };
        if (response.status !== 100) return { kind: "response", ...response };
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
