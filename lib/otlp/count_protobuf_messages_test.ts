import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { countProtobufMessages } from "./count_protobuf_messages.ts";
import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { ExportTraceServiceRequestSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";

const LOGS = ExportLogsServiceRequestSchema;

Deno.test("countProtobufMessages counts every nested message: groups, records, attributes, values", () => {
  const bytes = toBinary(
    LOGS,
    create(LOGS, {
      resourceLogs: [{
        resource: {
          attributes: [{ key: "a", value: { value: { case: "stringValue", value: "x" } } }],
        },
        scopeLogs: [{ scope: { name: "s" }, logRecords: [{}, { body: {} }] }],
      }],
    }),
  );
  // resourceLogs, resource, KeyValue, AnyValue, scopeLogs, scope, 2 records, body
  assert.equal(countProtobufMessages(LOGS, bytes, 1000, 100), 9);
});

Deno.test("countProtobufMessages stops one past the limit", () => {
  const request = create(ExportTraceServiceRequestSchema, {
    resourceSpans: [{ scopeSpans: [{ spans: Array.from({ length: 50 }, () => ({})) }] }],
  });
  const bytes = toBinary(ExportTraceServiceRequestSchema, request);
  assert.equal(countProtobufMessages(ExportTraceServiceRequestSchema, bytes, 10, 100), 11);
  assert.equal(countProtobufMessages(ExportTraceServiceRequestSchema, bytes, 1000, 100), 52);
});

Deno.test("countProtobufMessages does not descend past maxDepth and never throws on garbage", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      const count = countProtobufMessages(LOGS, bytes, 1e6, 100);
      assert.ok(Number.isInteger(count) && count >= 0);
    }),
  );
  // A string field is not a message: its bytes are not counted whatever they hold.
  const request = create(LOGS, {
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: "\x12\x00\x12\x00" }] }] }],
  });
  assert.equal(countProtobufMessages(LOGS, toBinary(LOGS, request), 1000, 100), 3);
  // maxDepth 2: resourceLogs and scopeLogs are counted, the record inside is not reached.
  assert.equal(countProtobufMessages(LOGS, toBinary(LOGS, request), 1000, 2), 2);
});

Deno.test("LOGS_REQUEST_WIRE_SHAPE is the generated logs schema's shape", async () => {
  const { LOGS_REQUEST_WIRE_SHAPE } = await import("./logs_request_wire_shape.ts");
  const { wireShapeOf } = await import("./count_protobuf_messages.ts");
  // Walk both graphs together (they are cyclic: AnyValue <-> KeyValueList).
  const seen = new Set<unknown>();
  const walk = (
    a: { children: ReadonlyMap<number, unknown> },
    b: { children: ReadonlyMap<number, unknown> },
    path: string,
  ) => {
    if (seen.has(a)) return;
    seen.add(a);
    assert.deepEqual([...a.children.keys()].sort(), [...b.children.keys()].sort(), path);
    for (const [number, child] of a.children) {
      walk(child as typeof a, b.children.get(number) as typeof b, `${path}.${number}`);
    }
  };
  walk(LOGS_REQUEST_WIRE_SHAPE, wireShapeOf(LOGS), "request");
});

Deno.test("exceedsMessageBudget skips bodies too small to pass the limit, and counts the rest", async () => {
  const { exceedsMessageBudget } = await import("./count_protobuf_messages.ts");
  // 3 empty records: 4 messages in 8 bytes.
  const bytes = new Uint8Array([0x0a, 0x06, 0x12, 0x04, 0x12, 0x00, 0x12, 0x00]);
  assert.equal(exceedsMessageBudget(LOGS, bytes, 3, 100), true, "8 bytes can hold 4 > 3");
  assert.equal(exceedsMessageBudget(LOGS, bytes, 4, 100), false);
  // Under 2 * (limit + 1) bytes nothing is scanned: garbage that would count high is not read.
  assert.equal(exceedsMessageBudget(LOGS, bytes, 4, 100), false);
});
