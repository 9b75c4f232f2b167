import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { flattenSpans } from "./flatten_spans.ts";
import { ExportTraceServiceRequestSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type {
  Span_SpanKind,
  Status_StatusCode,
} from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";

const traceId = Uint8Array.from({ length: 16 }, (_, i) => i);
const request = create(ExportTraceServiceRequestSchema, {
  resourceSpans: [{
    resource: {
      attributes: [{ key: "env", value: { value: { case: "stringValue", value: "dev" } } }],
    },
    scopeSpans: [{
      scope: { name: "codex_exec" },
      spans: [
        {
          traceId,
          spanId: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
          parentSpanId: Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1),
          traceState: "vendor=1",
          name: "session_task.turn",
          kind: 2,
          startTimeUnixNano: 1795606969169053809n,
          endTimeUnixNano: 1795606969269053809n,
          status: { code: 1, message: "" },
          attributes: [{ key: "turn", value: { value: { case: "intValue", value: 3n } } }],
          events: [{
            name: "event otel/src/events/session_telemetry.rs:1206",
            timeUnixNano: 1795606969200000000n,
            attributes: [{
              key: "event.name",
              value: { value: { case: "stringValue", value: "codex.user_prompt" } },
            }],
          }],
        },
        // Values from a newer OTLP than ours arrive as plain numbers.
        { name: "root", kind: 9 as Span_SpanKind, status: { code: 7 as Status_StatusCode } },
        { name: "no status" },
      ],
    }],
  }],
});

Deno.test("flattenSpans gives one plain record per span", () => {
  const [span] = flattenSpans(request);
  assert.deepEqual(span, {
    name: "session_task.turn",
    kind: "server",
    traceId: "000102030405060708090a0b0c0d0e0f",
    spanId: "0102030405060708",
    parentSpanId: "0807060504030201",
    traceState: "vendor=1",
    startTimeUnixNano: "1795606969169053809",
    endTimeUnixNano: "1795606969269053809",
    status: { code: "ok", message: "" },
    attributes: { turn: 3 },
    resource: { env: "dev" },
    scope: { name: "codex_exec", version: "" },
    events: [{
      name: "event otel/src/events/session_telemetry.rs:1206",
      timeUnixNano: "1795606969200000000",
      attributes: { "event.name": "codex.user_prompt" },
    }],
  });
  assert.doesNotThrow(() => JSON.stringify(span), "JSON-friendly: no bigint");
});

Deno.test("flattenSpans keeps enum values it does not know as numbers in strings", () => {
  const [, unknown, noStatus] = flattenSpans(request);
  assert.equal(unknown.kind, "9");
  assert.deepEqual(unknown.status, { code: "7", message: "" });
  assert.equal(unknown.parentSpanId, "");
  assert.equal(noStatus.kind, "unspecified");
  assert.deepEqual(noStatus.status, { code: "unset", message: "" });
  assert.equal(noStatus.startTimeUnixNano, "0");
});
