import assert from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { concatBytes } from "../bytes/concat_bytes.ts";
import { StatusSchema } from "./gen/google/rpc/status_pb.ts";
import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { repairProtobufUtf8 } from "./repair_protobuf_utf8.ts";

Deno.test("repairProtobufUtf8 replaces invalid UTF-8 with U+FFFD and fixes the lengths", () => {
  // Status { code: 3, message: "a" 0xff "b" }
  const { bytes, repairedStrings } = repairProtobufUtf8(
    StatusSchema,
    Uint8Array.of(0x08, 0x03, 0x12, 0x03, 0x61, 0xff, 0x62),
    100,
  );
  assert.equal(repairedStrings, 1);
  const status = fromBinary(StatusSchema, bytes);
  assert.equal(status.code, 3);
  assert.equal(status.message, "a\ufffdb");
});

Deno.test("repairProtobufUtf8 leaves a valid message byte for byte", () => {
  const original = toBinary(
    ExportLogsServiceRequestSchema,
    create(ExportLogsServiceRequestSchema, {
      resourceLogs: [{
        schemaUrl: "https://opentelemetry.io/schemas/1.0.0 \u{1f600}",
        scopeLogs: [{ logRecords: [{ traceId: Uint8Array.of(0xff, 0xfe), severityText: "é" }] }],
      }],
    }),
  );
  const { bytes, repairedStrings } = repairProtobufUtf8(
    ExportLogsServiceRequestSchema,
    original,
    100,
  );
  assert.equal(repairedStrings, 0);
  assert.equal(bytes, original);
});

Deno.test("repairProtobufUtf8 leaves bytes fields alone however invalid as text", () => {
  // LogRecord.trace_id (field 9, bytes) holding 0xff inside a request: not a string.
  const request = toBinary(
    ExportLogsServiceRequestSchema,
    create(ExportLogsServiceRequestSchema, {
      resourceLogs: [{
        scopeLogs: [{ logRecords: [{ traceId: Uint8Array.of(0xff), severityText: "~" }] }],
      }],
    }),
  );
  request[request.lastIndexOf(0x7e)] = 0xc0; // the severity text becomes invalid
  const { bytes, repairedStrings } = repairProtobufUtf8(
    ExportLogsServiceRequestSchema,
    request,
    100,
  );
  assert.equal(repairedStrings, 1);
  const record = fromBinary(ExportLogsServiceRequestSchema, bytes)
    .resourceLogs[0].scopeLogs[0].logRecords[0];
  assert.deepEqual(record.traceId, Uint8Array.of(0xff));
  assert.equal(record.severityText, "\ufffd");
});

Deno.test("repairProtobufUtf8 throws on malformed or too deeply nested input", () => {
  assert.throws(() => repairProtobufUtf8(StatusSchema, Uint8Array.of(0x12, 0x05, 0x61), 100));
  // resource_logs { scope_logs { } } needs depth 3.
  const nested = Uint8Array.of(0x0a, 0x02, 0x12, 0x00);
  assert.doesNotThrow(() => repairProtobufUtf8(ExportLogsServiceRequestSchema, nested, 3));
  assert.throws(
    () => repairProtobufUtf8(ExportLogsServiceRequestSchema, nested, 2),
    /maximum recursion depth/,
  );
});

/** A length-delimited field: tag, varint length, payload. */
function field(fieldNo: number, payload: Uint8Array): Uint8Array {
  const header = [(fieldNo << 3) | 2];
  for (let n = payload.byteLength;; n >>>= 7) {
    if (n < 0x80) {
      header.push(n);
      break;
    }
    header.push((n & 0x7f) | 0x80);
  }
  const out = new Uint8Array(header.length + payload.byteLength);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

Deno.test("repairProtobufUtf8 makes any attribute bytes parse, as a lenient decoder reads them", () => {
  const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const isValid = (bytes: Uint8Array) => {
    try {
      strict.decode(bytes);
      return true;
    } catch {
      return false;
    }
  };
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), {
        maxLength: 20,
      }),
      fc.uint8Array({ maxLength: 20 }),
      (attributes, severityText) => {
        // request { resource_logs { scope_logs { log_records {
        //   severity_text, attributes { key, value { string_value } }... } } } }
        const record = concatBytes([
          field(3, severityText),
          ...attributes.map(([key, value]) =>
            field(6, concatBytes([field(1, key), field(2, field(1, value))]))
          ),
        ]);
        const request = field(1, field(2, field(2, record)));
        const { bytes, repairedStrings } = repairProtobufUtf8(
          ExportLogsServiceRequestSchema,
          request,
          100,
        );
        const strings = [severityText, ...attributes.flat()];
        assert.equal(repairedStrings, strings.filter((s) => !isValid(s)).length);
        if (repairedStrings === 0) assert.equal(bytes, request);
        const decoded = fromBinary(ExportLogsServiceRequestSchema, bytes)
          .resourceLogs[0].scopeLogs[0].logRecords[0];
        assert.equal(decoded.severityText, lenient.decode(severityText));
        assert.deepEqual(
          decoded.attributes.map((kv) => [
            kv.key,
            kv.value?.value.case === "stringValue" ? kv.value.value.value : undefined,
          ]),
          attributes.map(([key, value]) => [lenient.decode(key), lenient.decode(value)]),
        );
      },
    ),
    { numRuns: 1000 },
  );
});
