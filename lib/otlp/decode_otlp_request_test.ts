import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { create, fromJson, type JsonValue, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { concatBytes } from "../bytes/concat_bytes.ts";
import {
  decodeOtlpRequest,
  type DecodeOtlpRequestOptions,
  type DecodeOtlpRequestResult,
} from "./decode_otlp_request.ts";
import { flattenLogRecords } from "./flatten_log_records.ts";
import { flattenSpans } from "./flatten_spans.ts";
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { OTLP_RECURSION_LIMIT, OTLP_SIGNALS, type OtlpSignal } from "./otlp_signal.ts";

const PROTOBUF: DecodeOtlpRequestOptions = {
  contentType: "application/x-protobuf",
  contentEncoding: null,
  maxBytes: 1 << 20,
};
const JSON_BODY: DecodeOtlpRequestOptions = { ...PROTOBUF, contentType: "application/json" };
const utf8 = (text: string) => new TextEncoder().encode(text);
const fixture = (path: string) =>
  Deno.readFileSync(new URL(`../../fixtures/codex-0.169/runs/${path}`, import.meta.url));

function assertFailure(
  result: DecodeOtlpRequestResult,
  status: 400 | 413 | 415,
  message: RegExp,
): void {
  assert.ok(!result.ok, "expected a failure");
  assert.equal(result.status, status, result.message);
  assert.match(result.message, message);
}

function oneLogRequest(
  attributes: Record<string, string>,
): ExportLogsServiceRequest {
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [{
      scopeLogs: [{
        scope: { name: "codex_otel.log_only" },
        logRecords: [{
          attributes: Object.entries(attributes).map(([key, value]) => ({
            key,
            value: { value: { case: "stringValue" as const, value } },
          })),
        }],
      }],
    }],
  });
}

/** A logs request whose record body nests `depth` arrayValues (two messages per level). */
function nestedBodyJson(depth: number): string {
  const open = '{"arrayValue":{"values":['.repeat(depth);
  const close = "]}}".repeat(depth);
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${open}{"stringValue":"x"}${close}` +
    `}]}]}]}`;
}

/** The same as {@link nestedBodyJson} in protobuf, built from the inside out. */
function nestedBodyProtobuf(depth: number): Uint8Array {
  // AnyValue{string_value "x"}
  const segments: Uint8Array[] = [Uint8Array.of(0x0a, 0x01, 0x78)];
  let length = 3;
  const wrap = (fieldNo: number) => {
    const prefix = [(fieldNo << 3) | 2];
    for (let n = length;; n >>>= 7) {
      if (n < 0x80) {
        prefix.push(n);
        break;
      }
      prefix.push((n & 0x7f) | 0x80);
    }
    segments.push(Uint8Array.from(prefix));
    length += prefix.length;
  };
  for (let i = 0; i < depth; i++) {
    wrap(1); // ArrayValue.values
    wrap(5); // AnyValue.array_value
  }
  wrap(5); // LogRecord.body
  wrap(2); // ScopeLogs.log_records
  wrap(2); // ResourceLogs.scope_logs
  wrap(1); // ExportLogsServiceRequest.resource_logs
  return concatBytes(segments.reverse(), length);
}

Deno.test("decodeOtlpRequest decodes a protobuf body and reports its size", async () => {
  const body = fixture("02-http-binary-logs/0072-http-logs.pb");
  const result = await decodeOtlpRequest("logs", body, PROTOBUF);
  assert.ok(result.ok);
  assert.equal(result.encoding, "protobuf");
  assert.equal(result.decodedBytes, body.byteLength);
  assert.equal(result.replacedInvalidStrings, 0);
  assert.equal(flattenLogRecords(result.request).length, 32);
});

Deno.test("decodeOtlpRequest accepts every spelling of the two content types", async () => {
  const body = toBinary(ExportLogsServiceRequestSchema, oneLogRequest({ a: "b" }));
  for (
    const contentType of [
      "application/x-protobuf",
      "application/protobuf",
      "Application/X-Protobuf; charset=binary",
    ]
  ) {
    const result = await decodeOtlpRequest("logs", body, { ...PROTOBUF, contentType });
    assert.ok(result.ok, contentType);
    assert.equal(result.encoding, "protobuf");
  }
  for (
    const contentType of [
      "application/json",
      "APPLICATION/JSON",
      "application/json; charset=utf-8",
      'application/json;charset="UTF-8"',
    ]
  ) {
    const result = await decodeOtlpRequest("logs", utf8("{}"), { ...PROTOBUF, contentType });
    assert.ok(result.ok, contentType);
    assert.equal(result.encoding, "json");
  }
});

Deno.test("decodeOtlpRequest skips a UTF-8 byte order mark before JSON", async () => {
  const result = await decodeOtlpRequest("logs", utf8('\ufeff{"resourceLogs":[]}'), JSON_BODY);
  assert.ok(result.ok, !result.ok ? result.message : "");
});

Deno.test("decodeOtlpRequest refuses other content types with 415", async () => {
  for (
    const contentType of [
      "text/plain",
      "application/grpc",
      "application/json; charset=latin1",
      "",
      "application/x-protobuf-but-not",
    ]
  ) {
    const result = await decodeOtlpRequest("logs", utf8("{}"), { ...PROTOBUF, contentType });
    assertFailure(result, 415, /^Unsupported Content-Type ".*": use application\/x-protobuf/);
  }
  const missing = await decodeOtlpRequest("logs", utf8("{}"), { ...PROTOBUF, contentType: null });
  assertFailure(missing, 415, /^Missing Content-Type/);
});

Deno.test("decodeOtlpRequest refuses an unknown Content-Encoding with 415", async () => {
  const result = await decodeOtlpRequest("logs", utf8("{}"), {
    ...JSON_BODY,
    contentEncoding: "br",
  });
  assertFailure(result, 415, /^Unsupported Content-Encoding "br"/);
  assert.equal(!result.ok && result.encoding, "json");
});

Deno.test("decodeOtlpRequest takes an empty protobuf body as an empty request", async () => {
  for (const signal of OTLP_SIGNALS) {
    for (const contentEncoding of [null, "gzip"]) {
      const result = await decodeOtlpRequest(signal, new Uint8Array(0), {
        ...PROTOBUF,
        contentEncoding,
      });
      assert.ok(result.ok, `${signal} ${contentEncoding}`);
      assert.equal(result.decodedBytes, 0);
    }
  }
  const empty = await decodeOtlpRequest("logs", gzipSync(new Uint8Array(0)), {
    ...PROTOBUF,
    contentEncoding: "gzip",
  });
  assert.ok(empty.ok);
  assert.equal(empty.request.resourceLogs.length, 0);
});

Deno.test("decodeOtlpRequest refuses an empty or blank JSON body with 400", async () => {
  for (const body of ["", "  \n"]) {
    const result = await decodeOtlpRequest("logs", utf8(body), JSON_BODY);
    assertFailure(result, 400, /the body is empty \(an empty request is \{\}\)/);
  }
});

Deno.test("decodeOtlpRequest measures the limit after decompression", async () => {
  const body = fixture("02-http-binary-logs/0072-http-logs.pb");
  const gzipped = gzipSync(body);
  const atLimit = await decodeOtlpRequest("logs", gzipped, {
    ...PROTOBUF,
    contentEncoding: "gzip",
    maxBytes: body.byteLength,
  });
  assert.ok(atLimit.ok);
  assert.equal(atLimit.decodedBytes, body.byteLength);
  const over = await decodeOtlpRequest("logs", gzipped, {
    ...PROTOBUF,
    contentEncoding: "gzip",
    maxBytes: body.byteLength - 1,
  });
  assertFailure(over, 413, /larger than the limit of \d+ bytes after decompression/);
  assert.equal(!over.ok && over.encoding, "protobuf");

  const identityOver = await decodeOtlpRequest("logs", body, {
    ...PROTOBUF,
    maxBytes: body.byteLength - 1,
  });
  assertFailure(identityOver, 413, /^Request body is larger than the limit/);
});

Deno.test("decodeOtlpRequest refuses truncated and garbage protobuf with 400", async () => {
  const body = fixture("02-http-binary-logs/0072-http-logs.pb");
  for (const cut of [1, 10, 1000, body.byteLength - 1]) {
    const result = await decodeOtlpRequest("logs", body.subarray(0, cut), PROTOBUF);
    assertFailure(result, 400, /^Cannot decode protobuf logs request: premature EOF$/);
  }
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(11).fill(0xff), /invalid varint/],
    [Uint8Array.of(0x0f), /illegal tag/],
    [utf8('{"resourceLogs":[]}'), /^Cannot decode protobuf logs request: /],
  ];
  for (const [bytes, message] of cases) {
    assertFailure(await decodeOtlpRequest("logs", bytes, PROTOBUF), 400, message);
  }
});

Deno.test("decodeOtlpRequest refuses corrupt gzip with 400", async () => {
  const gzipped = gzipSync(fixture("02-http-binary-logs/0072-http-logs.pb"));
  const result = await decodeOtlpRequest("logs", gzipped.subarray(0, 100), {
    ...PROTOBUF,
    contentEncoding: "gzip",
  });
  assertFailure(result, 400, /^Cannot decompress gzip body: unexpected end of file$/);
});

Deno.test("decodeOtlpRequest replaces invalid UTF-8 in protobuf strings with U+FFFD", async () => {
  const body = toBinary(
    ExportLogsServiceRequestSchema,
    oneLogRequest({ "~key~": "AB~~~CD", ok: "fine" }),
  );
  const patch = (placeholder: string, bytes: number[]) => {
    const at = new TextDecoder("latin1").decode(body).indexOf(placeholder);
    assert.ok(at >= 0);
    body.set(bytes, at);
  };
  patch("~key~", [0x6b, 0xff, 0x65, 0x79, 0xc3]); // "k", invalid, "ey", truncated sequence
  patch("~~~", [0xed, 0xa0, 0x80]); // a UTF-16 surrogate encoded as UTF-8 (CESU-8)
  const result = await decodeOtlpRequest("logs", body, PROTOBUF);
  assert.ok(result.ok, !result.ok ? result.message : "");
  assert.equal(result.replacedInvalidStrings, 2);
  const [record] = flattenLogRecords(result.request);
  assert.deepEqual(record.attributes, {
    "k\ufffdey\ufffd": "AB\ufffd\ufffd\ufffdCD",
    ok: "fine",
  });
  assert.equal(record.scope.name, "codex_otel.log_only");
});

Deno.test("decodeOtlpRequest repairs 50,000 invalid strings in linear time", async () => {
  const attributes: Record<string, string> = {};
  for (let i = 0; i < 50_000; i++) attributes[`key${i}`] = "~~";
  const body = toBinary(ExportLogsServiceRequestSchema, oneLogRequest(attributes));
  for (let i = 0; i < body.byteLength; i++) if (body[i] === 0x7e) body[i] = 0xff;
  const started = performance.now();
  const result = await decodeOtlpRequest("logs", body, { ...PROTOBUF, maxBytes: 8 << 20 });
  const elapsed = performance.now() - started;
  assert.ok(result.ok);
  assert.equal(result.replacedInvalidStrings, 50_000);
  assert.ok(elapsed < 5_000, `${elapsed} ms`); // under a second; quadratic would be minutes
});

Deno.test("decodeOtlpRequest refuses invalid UTF-8 in a JSON body with 400", async () => {
  const body = utf8('{"resourceLogs":[{"schemaUrl":"~"}]}');
  body[body.indexOf(0x7e)] = 0xff;
  const result = await decodeOtlpRequest("logs", body, JSON_BODY);
  assertFailure(
    result,
    400,
    /^Cannot decode OTLP\/JSON logs request: the body is not valid UTF-8$/,
  );
});

Deno.test("decodeOtlpRequest replaces lone surrogate escapes in JSON with U+FFFD", async () => {
  const body = utf8(
    '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[' +
      '{"key":"cut","value":{"stringValue":"abc\\ud83d"}}]}]}]}]}',
  );
  const result = await decodeOtlpRequest("logs", body, JSON_BODY);
  assert.ok(result.ok, !result.ok ? result.message : "");
  assert.equal(result.replacedInvalidStrings, 1);
  assert.deepEqual(flattenLogRecords(result.request)[0].attributes, { cut: "abc\ufffd" });
});

Deno.test("decodeOtlpRequest refuses malformed JSON with 400 and a short message", async () => {
  const cases: [string, RegExp][] = [
    ["{", /the body is not valid JSON: /],
    ['{"resourceLogs": 5}', /resource_logs/],
    ["[]", /cannot decode message .* from JSON/],
    ["null", /cannot decode message .* from JSON/],
    [
      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"xyz"}]}]}]}`,
      /traceId must be a hex string, got "xyz"$/,
    ],
    [
      `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"abc"}]}]}]}`,
      /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.traceId/,
    ],
    [`{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":-1}]}]}]}`, /time_unix_nano/],
    ["x".repeat(5000), /the body is not valid JSON/],
  ];
  for (const [body, message] of cases) {
    const result = await decodeOtlpRequest("logs", utf8(body), JSON_BODY);
    assertFailure(result, 400, message);
    assert.ok(result.ok === false && result.message.length <= 300, "message is short");
  }
});

Deno.test("decodeOtlpRequest accepts every OTLP/JSON quirk", async () => {
  const body = utf8(JSON.stringify({
    resource_logs: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "codex_exec" } }] },
      scopeLogs: [{
        scope: { name: "codex_otel.log_only", version: null },
        log_records: [
          {
            timeUnixNano: "1795606969169053809",
            observed_time_unix_nano: 1795606969169,
            severityNumber: "SEVERITY_NUMBER_WARN",
            severity_text: "WARN",
            body: null,
            traceId: "5B8EFFF798038103D269B633813FC60C",
            spanId: "",
            eventName: "event otel/src/events/session_telemetry.rs:703",
            attributes: [
              { key: "s", value: { stringValue: "x" } },
              { key: "int_string", value: { intValue: "42" } },
              { key: "int_number", value: { intValue: 7 } },
              { key: "int_big", value: { intValue: "9007199254740993" } },
              { key: "bool", value: { boolValue: true } },
              { key: "nan", value: { doubleValue: "NaN" } },
              { key: "bytes", value: { bytesValue: "AQID" } },
              { key: "array", value: { arrayValue: { values: [{ stringValue: "y" }, {}] } } },
              {
                key: "kvlist",
                value: { kvlistValue: { values: [{ key: "inner", value: { intValue: "1" } }] } },
              },
              { key: "empty", value: {} },
              { key: "null", value: null },
            ],
            droppedAttributesCount: "0",
            someFutureField: { nested: [1, 2, { deeper: true }] },
          },
          { severityNumber: 9, severityText: "INFO", flags: 1, trace_id: "", span_id: null },
          { severityNumber: "SEVERITY_NUMBER_FROM_THE_FUTURE" },
        ],
      }],
      unknownResourceField: "ignored",
    }],
  }));
  const result = await decodeOtlpRequest("logs", body, JSON_BODY);
  assert.ok(result.ok, !result.ok ? result.message : "");
  const [first, second, third] = flattenLogRecords(result.request);
  assert.deepEqual(first, {
    timeUnixNano: 1795606969169053809n,
    observedTimeUnixNano: 1795606969169n,
    severityNumber: 13,
    severityText: "WARN",
    body: null,
    attributes: {
      s: "x",
      int_string: 42,
      int_number: 7,
      int_big: "9007199254740993",
      bool: true,
      nan: "NaN",
      bytes: "AQID",
      array: ["y", null],
      kvlist: { inner: 1 },
      empty: null,
      null: null,
    },
    resource: { "service.name": "codex_exec" },
    scope: { name: "codex_otel.log_only", version: "" },
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: "",
    eventName: "event otel/src/events/session_telemetry.rs:703",
  });
  assert.equal(second.severityNumber, 9);
  assert.equal(second.traceId, "");
  assert.equal(third.severityNumber, 0, "an unknown enum name is ignored");
});

Deno.test("decodeOtlpRequest converts span, parent and link ids from hex", async () => {
  const body = utf8(JSON.stringify({
    resourceSpans: [{
      scopeSpans: [{
        spans: [{
          traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
          spanId: "00f067aa0ba902b7",
          parentSpanId: "",
          name: "turn",
          kind: "SPAN_KIND_SERVER",
          status: { code: 2, message: "boom" },
          links: [{ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" }],
        }],
      }],
    }],
  }));
  const result = await decodeOtlpRequest("traces", body, JSON_BODY);
  assert.ok(result.ok, !result.ok ? result.message : "");
  const request: ExportTraceServiceRequest = result.request;
  const [span] = flattenSpans(request);
  assert.equal(span.traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
  assert.equal(span.spanId, "00f067aa0ba902b7");
  assert.equal(span.parentSpanId, "");
  assert.equal(span.kind, "server");
  assert.deepEqual(span.status, { code: "error", message: "boom" });
  const link = request.resourceSpans[0].scopeSpans[0].spans[0].links[0];
  assert.equal(link.spanId.byteLength, 8);
});

Deno.test("decodeOtlpRequest refuses protobuf nesting past the recursion limit with 400", async () => {
  for (const depth of [OTLP_RECURSION_LIMIT, 100_000]) {
    const result = await decodeOtlpRequest("logs", nestedBodyProtobuf(depth), PROTOBUF);
    assertFailure(result, 400, /messages nest deeper than 100 levels$/);
  }
  const shallow = await decodeOtlpRequest("logs", nestedBodyProtobuf(20), PROTOBUF);
  assert.ok(shallow.ok);
});

Deno.test("decodeOtlpRequest refuses JSON nesting past the limit with 400, 100k deep too", async () => {
  const deep = [
    nestedBodyJson(OTLP_RECURSION_LIMIT),
    nestedBodyJson(100_000),
    "[".repeat(100_000) + "]".repeat(100_000),
    '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000),
    `{"resourceLogs":[],"unknown":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
  ];
  for (const body of deep) {
    const result = await decodeOtlpRequest("logs", utf8(body), { ...JSON_BODY, maxBytes: 8 << 20 });
    assertFailure(result, 400, /messages nest deeper than 100 levels$/);
  }
});

Deno.test("decodeOtlpRequest accepts JSON exactly as deep as the protobuf parser does", async () => {
  // The depth scan before JSON.parse must never refuse what fromJson would accept.
  for (let depth = 1; depth <= OTLP_RECURSION_LIMIT / 2; depth++) {
    const text = nestedBodyJson(depth);
    let parserAccepts = true;
    try {
      fromJson(ExportLogsServiceRequestSchema, JSON.parse(text) as JsonValue, {
        recursionLimit: OTLP_RECURSION_LIMIT,
      });
    } catch {
      parserAccepts = false;
    }
    const json = await decodeOtlpRequest("logs", utf8(text), JSON_BODY);
    assert.equal(json.ok, parserAccepts, `JSON depth ${depth}`);
    const binary = await decodeOtlpRequest("logs", nestedBodyProtobuf(depth), PROTOBUF);
    assert.equal(binary.ok, parserAccepts, `protobuf depth ${depth}`);
  }
});

Deno.test("decodeOtlpRequest never throws on arbitrary bytes and headers", async () => {
  const contentTypes = fc.oneof(
    fc.constantFrom(
      "application/x-protobuf",
      "application/protobuf",
      "application/json",
      "application/json; charset=utf-8",
      null,
    ),
    fc.string(),
  );
  const contentEncodings = fc.oneof(
    fc.constantFrom(null, "gzip", "deflate", "zstd", "identity", "x-gzip"),
    fc.string(),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<OtlpSignal>(...OTLP_SIGNALS),
      fc.uint8Array({ maxLength: 4096 }),
      contentTypes,
      contentEncodings,
      fc.nat({ max: 8192 }),
      async (signal, body, contentType, contentEncoding, maxBytes) => {
        const result = await decodeOtlpRequest(signal, body, {
          contentType,
          contentEncoding,
          maxBytes,
        });
        assert.ok(result.ok || [400, 413, 415].includes(result.status));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("decodeOtlpRequest never throws on arbitrary JSON or gzipped bytes", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom<OtlpSignal>(...OTLP_SIGNALS),
      fc.oneof(fc.json(), fc.string()),
      async (signal, text) => {
        const result = await decodeOtlpRequest(signal, utf8(text), JSON_BODY);
        assert.ok(result.ok || result.status === 400);
      },
    ),
    { numRuns: 500 },
  );
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
      const result = await decodeOtlpRequest("traces", gzipSync(bytes), {
        ...PROTOBUF,
        contentEncoding: "gzip",
      });
      assert.ok(result.ok || result.status === 400);
    }),
    { numRuns: 300 },
  );
});

Deno.test("decodeOtlpRequest never throws on a mutated real Codex capture", async () => {
  const original = fixture("24-synthetic-chatgpt-auth-json/0193-http-logs.pb");
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.tuple(fc.nat({ max: original.byteLength - 1 }), fc.integer({ min: 0, max: 255 })),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      fc.nat({ max: original.byteLength }),
      async (mutations, cut) => {
        const body = original.slice(0, Math.max(cut, 1));
        for (const [at, value] of mutations) if (at < body.byteLength) body[at] = value;
        const result = await decodeOtlpRequest("logs", body, PROTOBUF);
        assert.ok(result.ok || result.status === 400);
        if (result.ok) flattenLogRecords(result.request);
      },
    ),
    { numRuns: 500 },
  );
});
