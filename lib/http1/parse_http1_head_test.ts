import assert from "node:assert/strict";
import fc from "fast-check";
import { type Http1Head, type Http1HeadError, parseHttp1Head } from "./parse_http1_head.ts";

/** The head's bytes, one byte per character (heads are octets, not UTF-8). */
function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function parse(text: string): Http1Head | Http1HeadError {
  return parseHttp1Head(bytes(text));
}

function parsed(text: string): Http1Head {
  const head = parse(text);
  if ("status" in head) assert.fail(`refused ${JSON.stringify(text)}: ${head.message}`);
  return head;
}

function refused(text: string, status: number): string {
  const head = parse(text);
  assert.ok("status" in head, `accepted ${JSON.stringify(text)}`);
  assert.equal(head.status, status, `${JSON.stringify(text)}: ${head.message}`);
  return head.message;
}

/** A 1.1 GET with `fields` (each "name: value") and a Host. */
function get(fields: string[] = [], requestLine = "GET / HTTP/1.1"): string {
  return [requestLine, "Host: x", ...fields].join("\r\n") + "\r\n\r\n";
}

Deno.test("request lines: origin, absolute and asterisk forms give the path", () => {
  const origin = parsed(get([], "GET /v1/logs?x=1&y=/z HTTP/1.1"));
  assert.equal(origin.method, "GET");
  assert.equal(origin.target, "/v1/logs?x=1&y=/z");
  assert.equal(origin.path, "/v1/logs");
  const absolute = parsed(get([], "POST http://127.0.0.1:4318/v1/traces?q HTTP/1.1"));
  assert.equal(absolute.target, "http://127.0.0.1:4318/v1/traces?q");
  assert.equal(absolute.path, "/v1/traces");
  assert.equal(parsed(get([], "OPTIONS * HTTP/1.1")).path, "*");
  // Methods are case-sensitive tokens: kept as sent.
  assert.equal(parsed(get([], "get / HTTP/1.1")).method, "get");
});

Deno.test("request lines: bad methods, targets, missing parts and extra spaces are 400", () => {
  for (
    const line of [
      "G(T / HTTP/1.1",
      "GET@ / HTTP/1.1",
      "GÉT / HTTP/1.1",
      " / HTTP/1.1",
      "/ HTTP/1.1",
      "GET /",
      "GET",
      "GET HTTP/1.1",
      "GET  / HTTP/1.1",
      "GET / HTTP/1.1 ",
      " GET / HTTP/1.1",
      "GET\t/\tHTTP/1.1",
      "GET /a b HTTP/1.1",
      "GET /\x00 HTTP/1.1",
      "GET /\x7f HTTP/1.1",
      "GET relative/path HTTP/1.1",
      "GET ftp://x/ HTTP/1.1",
      "GET http:// HTTP/1.1",
    ]
  ) refused(get([], line), 400);
});

Deno.test("versions: 1.0 and 1.1 are served, other HTTP/d.d is 505, garbage is 400", () => {
  assert.equal(parsed("GET / HTTP/1.0\r\n\r\n").version, "1.0");
  assert.equal(parsed(get()).version, "1.1");
  for (const version of ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"]) {
    assert.match(refused(get([], `GET / ${version}`), 505), /not supported/);
  }
  for (const version of ["HTTP/1", "HTTP/1.1.1", "http/1.1", "HTTP/11", "HTTP/1.x", "HTTPS/1.1"]) {
    refused(get([], `GET / ${version}`), 400);
  }
});

Deno.test("fields: obs-fold, whitespace before the colon and empty names are 400", () => {
  refused(get(["X-A: 1", " folded"]), 400);
  refused(get(["X-A: 1", "\tfolded: 2"]), 400);
  refused("GET / HTTP/1.1\r\n Host: x\r\n\r\n", 400); // whitespace after the request line
  refused(get(["Host : x"]), 400); // RFC 9112, section 5.1: MUST be 400
  refused(get(["X-A\t: 1"]), 400);
  refused(get([": value"]), 400);
  refused(get(["no colon at all"]), 400);
  refused(get(["X(A): 1"]), 400);
  refused(get(["X A: 1"]), 400);
});

Deno.test("fields: a bare CR, NUL or other control character anywhere is 400", () => {
  refused("GET / HTTP/1.1\rX: y\r\nHost: x\r\n\r\n", 400);
  refused(get(["X-A: 1\r2"]), 400);
  refused(get(["X-A\r: 1"]), 400);
  refused("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\r\n\r\n", 400);
  for (const control of ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f"]) {
    refused(get([`X-A: a${control}b`]), 400);
    refused(get([`X-A${control}: 1`]), 400);
  }
});

Deno.test("fields: values are trimmed, tabs and obs-text kept, names lowercased", () => {
  const head = parsed(get(["X-Tab:\t a\tb \t", "X-Latin: caf\xe9", "X-Empty:", "X-UPPER: V"]));
  assert.equal(head.headers.get("x-tab"), "a\tb");
  assert.equal(head.headers.get("x-latin"), "caf\xe9");
  assert.equal(head.headers.get("x-empty"), "");
  assert.equal(head.headers.get("x-upper"), "V");
  assert.equal(head.headers.has("X-UPPER"), false);
});

Deno.test("fields: repeated fields are joined with a comma in order", () => {
  const head = parsed(get(["Accept: a", "X-Other: o", "accept: b", "ACCEPT: c"]));
  assert.equal(head.headers.get("accept"), "a, b, c");
});

Deno.test("fields: 200 are accepted, 201 are 400", () => {
  const fields = (count: number) => Array.from({ length: count - 1 }, (_, i) => `X-${i}: ${i}`);
  assert.equal(parsed(get(fields(200))).headers.size, 200);
  assert.match(refused(get(fields(201)), 400), /more than 200/);
});

Deno.test("Host: required in 1.1, optional in 1.0, and never twice", () => {
  assert.match(refused("GET / HTTP/1.1\r\nX: y\r\n\r\n", 400), /Host/);
  assert.equal(parsed("GET / HTTP/1.0\r\n\r\n").headers.has("host"), false);
  assert.equal(parsed("GET / HTTP/1.1\r\nHost:\r\n\r\n").headers.get("host"), "");
  // RFC 9112, section 3.2: more than one Host field MUST be 400 (which one would a proxy use?).
  refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
  refused("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", 400);
});

Deno.test("Content-Length: a length, or the same length repeated; anything else is 400", () => {
  assert.deepEqual(parsed(get(["Content-Length: 42"])).body, { kind: "length", length: 42 });
  assert.deepEqual(parsed(get(["Content-Length: 0"])).body, { kind: "length", length: 0 });
  assert.deepEqual(parsed(get([])).body, { kind: "length", length: 0 });
  assert.deepEqual(parsed(get(["Content-Length: 42, 42"])).body, { kind: "length", length: 42 });
  assert.deepEqual(parsed(get(["Content-Length: 42", "Content-Length: 42"])).body, {
    kind: "length",
    length: 42,
  });
  // Whitespace around a field value is not part of it (RFC 9112, section 5.1).
  assert.deepEqual(parsed(get(["Content-Length:   42 "])).body, { kind: "length", length: 42 });
  assert.deepEqual(parsed(get(["Content-Length: 999999999999999"])).body, {
    kind: "length",
    length: 999999999999999,
  });
  for (
    const value of [
      "42, 43",
      "42,",
      ",42",
      "+42",
      "-1",
      "0x10",
      "1e3",
      "4 2",
      "42.0",
      "",
      "abc",
      "\xb2", // superscript two
      "9999999999999999",
      "99999999999999999999999999",
    ]
  ) refused(get([`Content-Length: ${value}`]), 400);
  refused(get(["Content-Length: 42", "Content-Length: 43"]), 400);
  refused(get(["Content-Length: 42", "Content-Length: "]), 400);
});

Deno.test("Transfer-Encoding: chunked alone, any case; with a length or in 1.0, 400", () => {
  assert.deepEqual(parsed(get(["Transfer-Encoding: chunked"])).body, { kind: "chunked" });
  // Transfer-coding names are case-insensitive (RFC 9112, section 7).
  assert.deepEqual(parsed(get(["Transfer-Encoding: Chunked"])).body, { kind: "chunked" });
  assert.deepEqual(parsed(get(["Transfer-Encoding:  CHUNKED\t"])).body, { kind: "chunked" });
  refused(get(["Transfer-Encoding: chunked", "Content-Length: 5"]), 400);
  refused(get(["Content-Length: 5", "Transfer-Encoding: chunked"]), 400);
  refused(get(["Content-Length: 5", "Transfer-Encoding: identity"]), 400);
  refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
});

Deno.test("Transfer-Encoding: other codings are refused, never guessed at", () => {
  // RFC 9112, section 6.1: chunked not last means the length cannot be known: 400.
  refused(get(["Transfer-Encoding: chunked, gzip"]), 400);
  refused(get(["Transfer-Encoding: gzip"]), 400);
  refused(get(["Transfer-Encoding: identity"]), 400);
  refused(get(["Transfer-Encoding:"]), 400);
  refused(get(["Transfer-Encoding: xchunked"]), 400);
  // Chunked last, after a coding Beacon does not decode: 501 (section 6.1: SHOULD).
  refused(get(["Transfer-Encoding: gzip, chunked"]), 501);
  refused(get(["Transfer-Encoding: gzip", "Transfer-Encoding: chunked"]), 501);
  // Chunked twice is never sent by a conforming client (section 6.1: MUST NOT): refused.
  const twice = parse(get(["Transfer-Encoding: chunked, chunked"]));
  assert.ok("status" in twice);
  const split = parse(get(["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"]));
  assert.ok("status" in split);
});

Deno.test("keep-alive: on by default in 1.1, off in 1.0, tokens read from a list", () => {
  assert.equal(parsed(get()).keepAlive, true);
  assert.equal(parsed(get(["Connection: close"])).keepAlive, false);
  assert.equal(parsed(get(["Connection: Close"])).keepAlive, false);
  assert.equal(parsed(get(["Connection: keep-alive, close"])).keepAlive, false);
  assert.equal(parsed(get(["Connection: te,close , upgrade"])).keepAlive, false);
  assert.equal(parsed(get(["Connection: x", "Connection: close"])).keepAlive, false);
  assert.equal(parsed(get(["Connection: closed"])).keepAlive, true);
  assert.equal(parsed(get(["Connection: keep-alive"])).keepAlive, true);
  assert.equal(parsed("GET / HTTP/1.0\r\n\r\n").keepAlive, false);
  assert.equal(parsed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive, true);
  assert.equal(parsed("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive, true);
  assert.equal(parsed("GET / HTTP/1.0\r\nConnection: foo, keep-alive\r\n\r\n").keepAlive, true);
  assert.equal(parsed("GET / HTTP/1.0\r\nConnection: keep-alives\r\n\r\n").keepAlive, false);
});

Deno.test("Expect: 100-continue in any case; anything else is 417; ignored in 1.0", () => {
  assert.equal(parsed(get(["Expect: 100-continue"])).expectContinue, true);
  assert.equal(parsed(get(["Expect: 100-Continue"])).expectContinue, true);
  assert.equal(parsed(get()).expectContinue, false);
  assert.equal(parsed("POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n").expectContinue, false);
  refused(get(["Expect: 200-ok"]), 417);
  refused(get(["Expect: 100-continue, x"]), 417);
  refused(get(["Expect: 100-continue", "Expect: 100-continue"]), 417);
});

Deno.test("line endings: bare LF is accepted like CRLF", () => {
  const head = parsed("POST /x HTTP/1.1\nHost: h\nContent-Length: 3\n\n");
  assert.equal(head.headers.get("host"), "h");
  assert.deepEqual(head.body, { kind: "length", length: 3 });
  assert.equal(parsed("GET / HTTP/1.1\r\nHost: h\n\r\n").headers.get("host"), "h");
});

Deno.test("bytes that are not a head ending in a blank line are 400, not an exception", () => {
  for (
    const text of [
      "",
      "x",
      "\r\n",
      "\n",
      "\r\n\r\n",
      "\n\n",
      "GET / HTTP/1.1",
      "GET / HTTP/1.1\r\n",
    ]
  ) {
    refused(text, 400);
  }
});

const tokenChars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 1, maxLength: 12 });
// Field names that change framing or are checked are left to the tests above.
const fieldName = token.filter((name) =>
  !["host", "content-length", "transfer-encoding", "expect", "connection"].includes(
    name.toLowerCase(),
  )
);
const visible = fc.integer({ min: 0x21, max: 0xff }).filter((code) => code !== 0x7f)
  .map((code) => String.fromCharCode(code));
const inner = fc.oneof(visible, fc.constantFrom(" ", "\t"));
const fieldValue = fc.oneof(
  fc.constant(""),
  fc.tuple(visible, fc.string({ unit: inner, maxLength: 20 }), visible).map(([a, b, c]) =>
    a + b + c
  ),
  visible,
);
const pathChars = "abcXYZ019-._~!$&'()*+,;=:@%/?";
const target = fc.string({ unit: fc.constantFrom(...pathChars), maxLength: 30 }).map((rest) =>
  "/" + rest
);

Deno.test("property: a well-formed head parses back to its method, target and fields", () => {
  fc.assert(fc.property(
    token,
    target,
    fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 30 }),
    fc.constantFrom("\r\n", "\n"),
    fc.constantFrom(" ", "\t", "", "  "),
    (method, target, fields, eol, ows) => {
      const text = `${method} ${target} HTTP/1.1${eol}Host: h${eol}` +
        fields.map(([name, value]) => `${name}:${ows}${value}${ows}${eol}`).join("") + eol;
      const head = parsed(text);
      assert.equal(head.method, method);
      assert.equal(head.target, target);
      assert.equal(head.path, target.split("?")[0]);
      const expected = new Map<string, string>([["host", "h"]]);
      for (const [name, value] of fields) {
        const key = name.toLowerCase();
        const previous = expected.get(key);
        expected.set(key, previous === undefined ? value : `${previous}, ${value}`);
      }
      assert.deepEqual(head.headers, expected);
    },
  ));
});

function assertHeadOrError(result: Http1Head | Http1HeadError) {
  if ("status" in result) {
    assert.ok([400, 417, 501, 505].includes(result.status), String(result.status));
    assert.equal(typeof result.message, "string");
  } else {
    assert.equal(typeof result.method, "string");
    assert.ok(result.version === "1.0" || result.version === "1.1");
  }
}

Deno.test("property: arbitrary bytes give a head or an error, never an exception", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
    assertHeadOrError(parseHttp1Head(input));
  }));
  // Closer to real heads: a valid head with bytes changed, and random text with a blank line.
  const valid = bytes(get(["Content-Length: 5", "X-A: b"], "POST /v1/logs HTTP/1.1"));
  fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
      minLength: 1,
      maxLength: 4,
    }),
    (changes) => {
      const input = valid.slice();
      for (const [at, byte] of changes) input[at] = byte;
      assertHeadOrError(parseHttp1Head(input));
    },
  ));
  fc.assert(fc.property(
    fc.string({ unit: fc.constantFrom(..."GET /HTP1.0:\r\n\t ,chunkedHost"), maxLength: 80 }),
    (text) => assertHeadOrError(parse(text + "\r\n\r\n")),
  ));
});
