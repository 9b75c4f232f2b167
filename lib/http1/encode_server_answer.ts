/**
 * The answers the HTTP/1.1 server gives on its own, instead of the handler's: a timeout, a head
 * too large or malformed, a malformed chunked body, a handler that failed.
 *
 * @module
 */
import { encodeHttp1Response } from "./encode_http1_response.ts";

const encoder = new TextEncoder();

/**
 * The bytes of an answer the server gives on its own, after which it closes the connection:
 * `status` with its reason, a plain-text body for a person (`problem`, what was wrong, then
 * `remedy`, what to do, one line each), `content-type: text/plain; charset=utf-8`,
 * `content-length` and `connection: close`. `head`: the request was HEAD, so the body's length
 * is declared but the body not sent.
 *
 * @example
 * ```ts
 * import { encodeServerAnswer } from "./encode_server_answer.ts";
 * const bytes = encodeServerAnswer(
 *   431,
 *   "The request head is larger than 16384 bytes.",
 *   "Send fewer or shorter header fields, on a new connection.",
 * );
 * new TextDecoder().decode(bytes).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"); // true
 * ```
 */
export function encodeServerAnswer(
  status: number,
  problem: string,
  remedy: string,
  head = false,
): Uint8Array {
  return encodeHttp1Response(
    {
      status,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: encoder.encode(`${problem}\n${remedy}\n`),
    },
    false,
    head,
  );
}
