import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { flattenLogRecords } from "./flatten_log_records.ts";
import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

const request = create(ExportLogsServiceRequestSchema, {
  resourceLogs: [
    {
      resource: {
        attributes: [{
          key: "service.name",
          value: { value: { case: "stringValue", value: "a" } },
        }],
      },
      scopeLogs: [
        {
          scope: { name: "codex_otel.log_only", version: "1.0" },
          logRecords: [
            {
              timeUnixNano: 5n,
              observedTimeUnixNano: 1795606969169053809n,
              severityNumber: 9,
              severityText: "INFO",
              body: { value: { case: "stringValue", value: "hello" } },
              attributes: [
                {
                  key: "event.name",
                  value: { value: { case: "stringValue", value: "codex.user_prompt" } },
                },
              ],
              traceId: Uint8Array.of(0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6),
              spanId: Uint8Array.of(0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7),
              eventName: "event otel/src/events/session_telemetry.rs:1200",
            },
            {},
          ],
        },
        { logRecords: [{ severityText: "DEBUG" }] },
      ],
    },
    { scopeLogs: [{ logRecords: [{ severityText: "no resource" }] }] },
  ],
});

Deno.test("flattenLogRecords gives one record per log record with its resource and scope", () => {
  const records = flattenLogRecords(request);
  assert.equal(records.length, 4);
  assert.deepEqual(records[0], {
    timeUnixNano: 5n,
    observedTimeUnixNano: 1795606969169053809n,
    severityNumber: 9,
    severityText: "INFO",
    body: "hello",
    attributes: { "event.name": "codex.user_prompt" },
    resource: { "service.name": "a" },
    scope: { name: "codex_otel.log_only", version: "1.0" },
    traceId: "4bf92f3577b34da6",
    spanId: "00f067aa0ba902b7",
    eventName: "event otel/src/events/session_telemetry.rs:1200",
  });
});

Deno.test("flattenLogRecords fills absent fields with empty values", () => {
  const [, empty, noScope, noResource] = flattenLogRecords(request);
  assert.deepEqual(empty, {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: "",
    body: null,
    attributes: {},
    resource: { "service.name": "a" },
    scope: { name: "codex_otel.log_only", version: "1.0" },
    traceId: "",
    spanId: "",
    eventName: "",
  });
  assert.deepEqual(noScope.scope, { name: "", version: "" });
  assert.equal(noScope.severityText, "DEBUG");
  assert.deepEqual(noResource.resource, {});
});

Deno.test("flattenLogRecords shares one frozen resource and scope among a group's records", () => {
  const [first, second] = flattenLogRecords(request);
  assert.equal(first.resource, second.resource, "one object per resource, not a copy per record");
  assert.equal(first.scope, second.scope);
  assert.throws(() => {
    first.resource["service.name"] = "changed";
  }, TypeError);
  assert.throws(() => {
    first.scope.name = "changed";
  }, TypeError);
  assert.equal(second.resource["service.name"], "a");
});

Deno.test("flattenLogRecords gives nothing for an empty request", () => {
  assert.deepEqual(flattenLogRecords(create(ExportLogsServiceRequestSchema)), []);
});
