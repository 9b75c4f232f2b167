import { concatBytes } from "../../bytes/concat_bytes.ts";

/** What came back: the status and body, or why nothing did. */
export type SendResult =
  | { ok: true; status: number; body: Uint8Array }
  | { ok: false; failure: "refused" | "timeout" | "silent" | "error"; message: string };

/**
 * One HTTP/1.1 request to Beacon's collector over `node:http`, never through a proxy (Deno's
 * `fetch` sends even 127.0.0.1 requests through `HTTP_PROXY` when it is set), on a fresh
 * connection closed after the answer. Never rejects: failures come back as data. node:http is
 * loaded here, not imported at the top: a static node: import is hoisted into the bundle and
 * would start Deno's Node compatibility layer in every process, the collector's included.
 */
export async function sendLoopbackRequest(
  url: URL,
  options: {
    method: string;
    headers: Record<string, string>;
    timeoutMs: number;
    maxBytes: number;
    body?: Uint8Array;
  },
): Promise<SendResult> {
  const { request: httpRequest } = await import("node:http");
  return await new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = httpRequest({
      hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port === "" ? 80 : Number(url.port),
      path: url.pathname,
      method: options.method,
      headers: { ...options.headers, "content-length": String(options.body?.length ?? 0) },
      // A fresh connection, closed after the answer: nothing lingers in a pool.
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({
        ok: false,
        failure: connected ? "silent" : "timeout",
        message: "timed out",
      });
      request.destroy();
    }, options.timeoutMs);
    request.on("socket", (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once("connect", () => (connected = true));
    });
    request.on("error", (error: Error & { code?: string }) => {
      finish({
        ok: false,
        failure: error.code === "ECONNREFUSED" ? "refused" : "error",
        message: error.message,
      });
    });
    request.on("response", (response) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      response.on("data", (chunk: Uint8Array) => {
        if (size + chunk.length > options.maxBytes) {
          finish({ ok: true, status: response.statusCode ?? 0, body: new Uint8Array(0) });
          request.destroy();
          return;
        }
        size += chunk.length;
        chunks.push(chunk);
      });
      response.on("end", () => {
        finish({ ok: true, status: response.statusCode ?? 0, body: concatBytes(chunks, size) });
      });
      response.on(
        "error",
        (error) => finish({ ok: false, failure: "error", message: error.message }),
      );
    });
    request.end(options.body);
  });
}
