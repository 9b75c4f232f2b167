/**
 * Parses an HTTP/1.x request head (RFC 9112), strictly where leniency lets two parsers disagree
 * about where a request ends (request smuggling): conflicting lengths, Transfer-Encoding with
 * Content-Length, folded or malformed header lines are refused, not guessed at.
 *
 * @module
 */
import { latin1 } from "./latin1.ts";

/** A parsed request head. Header names are lowercase; repeated fields are joined with ", ". */
export interface Http1Head {
  method: string;
  /** The request target as sent (origin form `/path?query`, or absolute form). */
  target: string;
  /** The target's path, without the query. */
  path: string;
  version: "1.0" | "1.1";
  headers: Map<string, string>;
  /** The body's framing: none, a declared length, or chunked. */
  body: { kind: "length"; length: number } | { kind: "chunked" };
  /** Whether the connection stays open after this request's response. */
  keepAlive: boolean;
  /** `Expect: 100-continue` was sent. */
  expectContinue: boolean;
}

/** A head the server refuses, with the status and a short reason for the response. */
export interface Http1HeadError {
  status: 400 | 417 | 501 | 505;
  message: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible ASCII, obs-text, spaces and tabs; never CR, LF or NUL.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const MAX_FIELDS = 200;

/**
 * Parses `head` (the request line and fields, through the blank line).
 *
 * @example
 * ```ts
 * import { parseHttp1Head } from "./parse_http1_head.ts";
 * const head = parseHttp1Head(
 *   new TextEncoder().encode("POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n"),
 * );
 * if ("status" in head) throw new Error(head.message);
 * head.body; // { kind: "length", length: 3 }
 * ```
 */
export function parseHttp1Head(head: Uint8Array): Http1Head | Http1HeadError {
  const text = latin1(head, 0, head.length);
  // The reader hands over heads through their blank line; other bytes are refused, not thrown on.
  if (!text.endsWith("\n\n") && !text.endsWith("\n\r\n")) return bad("an incomplete request head");
  const lines = text.split("\n");
  // The head ends with its blank line: drop it (and the empty string after the final LF).
  lines.length -= 2;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.endsWith("\r")) lines[index] = line.slice(0, -1);
    else if (line.includes("\r")) return bad("a bare CR in the request head");
  }
  const requestLine = lines[0].split(" ");
  if (requestLine.length !== 3) return bad("a malformed request line");
  const [method, target, protocol] = requestLine;
  if (!TOKEN.test(method)) return bad("a malformed method");
  // deno-lint-ignore no-control-regex -- control characters are exactly what is refused
  if (target.length === 0 || /[\x00-\x20\x7f]/.test(target)) return bad("a malformed target");
  let version: "1.0" | "1.1";
  if (protocol === "HTTP/1.1") version = "1.1";
  else if (protocol === "HTTP/1.0") version = "1.0";
  else if (/^HTTP\/\d\.\d$/.test(protocol)) {
    return { status: 505, message: `${protocol} is not supported: use HTTP/1.1` };
  } else return bad("a malformed protocol version");

  if (lines.length - 1 > MAX_FIELDS) return bad(`more than ${MAX_FIELDS} header fields`);
  const headers = new Map<string, string>();
  const lengths: string[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    const colon = line.indexOf(":");
    // A line starting with a space or tab continues the previous field (obsolete folding).
    if (colon <= 0) return bad("a malformed header field");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) return bad("a malformed header field name");
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) return bad("a control character in a header field");
    const key = name.toLowerCase();
    if (key === "content-length") lengths.push(value);
    const previous = headers.get(key);
    // RFC 9112, section 3.2: two Host fields leave the target's authority in doubt.
    if (key === "host" && previous !== undefined) return bad("more than one Host header");
    headers.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }
  const path = pathOf(target);
  if (path === undefined) return bad("a malformed target");
  if (version === "1.1" && !headers.has("host")) return bad("no Host header");

  let body: Http1Head["body"];
  const transferEncoding = headers.get("transfer-encoding");
  if (transferEncoding !== undefined) {
    if (lengths.length > 0) return bad("both Transfer-Encoding and Content-Length");
    if (version === "1.0") return bad("Transfer-Encoding in an HTTP/1.0 request");
    const codings = transferEncoding.toLowerCase().split(",").map((coding) => coding.trim());
    // RFC 9112, section 6.1: unless chunked is last, where the body ends cannot be known.
    if (codings.at(-1) !== "chunked") {
      return bad("a Transfer-Encoding that does not end in chunked");
    }
    if (codings.length > 1) {
      return {
        status: 501,
        message: `Transfer-Encoding ${transferEncoding} is not supported: send chunked or a length`,
      };
    }
    body = { kind: "chunked" };
  } else if (lengths.length > 0) {
    // "42, 42" (a list of one repeated value) is allowed; differing values are not.
    const values = new Set(lengths.flatMap((value) => value.split(",").map((v) => v.trim())));
    const [only] = values;
    if (values.size !== 1 || !/^\d{1,15}$/.test(only)) return bad("an invalid Content-Length");
    body = { kind: "length", length: Number(only) };
  } else body = { kind: "length", length: 0 };

  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = version === "1.1"
    ? !/(?:^|,)\s*close\s*(?:,|$)/.test(connection)
    : /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(connection);
  const expect = headers.get("expect");
  if (expect !== undefined && expect.toLowerCase() !== "100-continue") {
    return { status: 417, message: `Expect: ${expect} is not supported` };
  }
  return {
    method,
    target,
    path,
    version,
    headers,
    body,
    keepAlive,
    expectContinue: expect !== undefined && version === "1.1",
  };
}

/** The path of an origin-form (`/p?q`), absolute-form (`http://h/p`) or asterisk target. */
function pathOf(target: string): string | undefined {
  if (target === "*") return "*";
  if (target.startsWith("/")) {
    const query = target.indexOf("?");
    return query < 0 ? target : target.slice(0, query);
  }
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    return new URL(target).pathname;
  } catch {
    return undefined;
  }
}

function bad(what: string): Http1HeadError {
  return { status: 400, message: `Bad request: ${what}` };
}
