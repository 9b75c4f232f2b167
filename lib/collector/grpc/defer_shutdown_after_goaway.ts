/**
 * The second crash guard of the gRPC listener: a client's GOAWAY must not make the server close
 * its session while nghttp2 is still reading.
 *
 * @module
 */

import type { Http2Server, ServerHttp2Session } from "node:http2";

/**
 * Makes every session of `server` answer a client's GOAWAY from a fresh task.
 *
 * Deno's `node:http2` (like Node's `onGoawayData`) answers a GOAWAY from the client by calling
 * `session.close()` (`session.destroy()` for an error code) right after emitting `goaway`, while
 * nghttp2 is still processing the bytes that carried the GOAWAY. In Deno 2.9.6 that re-entrant
 * close crashes the whole process:
 *
 * - when the same bytes go on with a new stream (HEADERS then DATA; Deno's own HTTP/2 client
 *   sends exactly that when it destroys a session right after starting a request), it dies
 *   with SIGSEGV (exit 139) on the first or second such connection;
 * - when a gRPC client closes a connection that carried many streams, it aborts on nghttp2's
 *   assertion `stream->closed_next == NULL` (exit 134, denoland/deno#36788).
 *
 * Intercepting that one call and making it from a `setTimeout(0)` task, once nghttp2 has
 * returned, avoided both in every trial; the session still closes gracefully right after (and
 * a stream that arrived with the GOAWAY is served).
 *
 * @example
 * ```ts
 * import { createServer } from "node:http2";
 * import { deferShutdownAfterGoaway } from "./defer_shutdown_after_goaway.ts";
 *
 * const server = createServer();
 * deferShutdownAfterGoaway(server);
 * ```
 */
export function deferShutdownAfterGoaway(server: Http2Server): void {
  server.on("session", (session: ServerHttp2Session) => {
    session.on("goaway", () => interceptNextShutdown(session));
  });
}

/** Until the current task ends, a call to `close` or `destroy` is redone from a new task. */
function interceptNextShutdown(session: ServerHttp2Session): void {
  const methods = ["close", "destroy"] as const;
  const own = session as unknown as Record<string, unknown>;
  const restore = () => {
    for (const method of methods) delete own[method];
  };
  for (const method of methods) {
    Object.defineProperty(session, method, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        restore();
        setTimeout(() => (session[method] as (...args: unknown[]) => void)(...args), 0);
      },
    });
  }
  // When the polyfill calls neither (the session was already closing), stop intercepting.
  setTimeout(restore, 0);
}
