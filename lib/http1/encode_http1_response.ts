/**
 * Serialises an HTTP/1.1 response (status line, fields, body) into one byte array, so a response
 * leaves in one write.
 *
 * @module
 */

/** A response as a handler gives it: the server adds framing fields (length, connection, date). */
export interface Http1Response {
  status: number;
  /** Field names in lowercase. `content-length` is set from the body; do not pass it. */
  headers?: Record<string, string | number>;
  body?: Uint8Array;
  /** End the connection after this response (the request's body was not read, say). */
  close?: boolean;
}

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  417: "Expectation Failed",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

const encoder = new TextEncoder();
let dateSecond = -1;
let dateValue = "";

/**
 * The bytes of `response`. `keepAlive` decides the `connection` field; `head`: a response to
 * HEAD, which declares the body's length but carries no body.
 *
 * @example
 * ```ts
 * import { encodeHttp1Response } from "./encode_http1_response.ts";
 * const bytes = encodeHttp1Response({ status: 200, body: new Uint8Array(2) }, true, false);
 * new TextDecoder().decode(bytes).startsWith("HTTP/1.1 200 OK\r\n"); // true
 * ```
 */
export function encodeHttp1Response(
  response: Http1Response,
  keepAlive: boolean,
  head: boolean,
): Uint8Array {
  const body = response.body;
  let text = `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? "Unknown"}\r\n`;
  if (response.headers) {
    for (const name in response.headers) {
      const value = String(response.headers[name]);
      if (/[\r\n\0]/.test(value) || /[\r\n\0:]/.test(name)) {
        throw new Error(`the response field ${JSON.stringify(name)} holds a line break`);
      }
      text += `${name}: ${value}\r\n`;
    }
  }
  text += `content-length: ${body?.length ?? 0}\r\ndate: ${httpDate()}\r\n` +
    (keepAlive
      ? "connection: keep-alive\r\nkeep-alive: timeout=5\r\n\r\n"
      : "connection: close\r\n\r\n");
  const bodyLength = head || !body ? 0 : body.length;
  const bytes = new Uint8Array(text.length * 3 + bodyLength);
  const { written } = encoder.encodeInto(text, bytes);
  if (bodyLength > 0) bytes.set(body!, written);
  return bytes.subarray(0, written + bodyLength);
}

/** The `Date` field's value, made once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(now).toUTCString();
  }
  return dateValue;
}
