import assert from "node:assert/strict";
import fc from "fast-check";
import { fromBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { AnyValue } from "../otlp/gen/opentelemetry/proto/common/v1/common_pb.ts";
import { encodeOtlpLogs, FORWARD_SCOPE } from "./encode_otlp_logs.ts";

const resource = { hostName: "laptop-7", version: "1.2.3" };
const observedAt = new Date("2026-11-25T12:00:05Z");

function plain(value: AnyValue["value"]): unknown {
  switch (value.case) {
    case "intValue":
      return Number(value.value);
    case "arrayValue":
      return value.value.values.map((inner) => plain(inner.value));
    case "kvlistValue":
      return Object.fromEntries(value.value.values.map((kv) => [kv.key, plain(kv.value!.value)]));
    default:
      return value.value;
  }
}

function decode(events: Record<string, unknown>[]) {
  const { body, contentType } = encodeOtlpLogs(events, resource, "http/protobuf", observedAt);
  assert.equal(contentType, "application/x-protobuf");
  return fromBinary(ExportLogsServiceRequestSchema, body);
}

const prompt = {
  schema_version: 1,
  id: "9f1c",
  time: "2026-11-25T12:00:00.250Z",
  harness: "codex",
  kind: "prompt",
  session_id: "s-1",
  trace_id: "0af7651916cd43dd8448eb211c80319c",
  span_id: "b7ad6b7169203331",
  prompt: { mode: "redact", bytes: 12, text: "hi [REDACTED:secret]", redactions: 1 },
  user: { email: { mode: "hash", bytes: 15, sha256: "ab12" } },
  paths: ["a.ts", "b.ts"],
  success: true,
  cost: 0.5,
  absent: null,
};

Deno.test("encodeOtlpLogs: one record per event; name, uid, time, ids and flattened attributes", () => {
  const request = decode([prompt]);
  assert.equal(request.resourceLogs.length, 1);
  const [scopeLogs] = request.resourceLogs[0].scopeLogs;
  assert.equal(scopeLogs.scope?.name, FORWARD_SCOPE);
  assert.equal(scopeLogs.scope?.version, "1.2.3");
  const [record] = scopeLogs.logRecords;
  assert.equal(record.eventName, "beacon.prompt");
  assert.equal(record.timeUnixNano, BigInt(Date.parse(prompt.time)) * 1_000_000n);
  assert.equal(record.observedTimeUnixNano, BigInt(observedAt.getTime()) * 1_000_000n);
  assert.equal(record.severityText, "INFO");
  assert.equal(Buffer.from(record.traceId).toString("hex"), prompt.trace_id);
  assert.equal(Buffer.from(record.spanId).toString("hex"), prompt.span_id);
  const attributes = Object.fromEntries(
    record.attributes.map((kv) => [kv.key, plain(kv.value!.value)]),
  );
  assert.deepEqual(attributes, {
    "event.name": "beacon.prompt",
    "log.record.uid": "9f1c",
    schema_version: 1,
    id: "9f1c",
    time: prompt.time,
    harness: "codex",
    kind: "prompt",
    session_id: "s-1",
    trace_id: prompt.trace_id,
    span_id: prompt.span_id,
    "prompt.mode": "redact",
    "prompt.bytes": 12,
    "prompt.text": "hi [REDACTED:secret]",
    "prompt.redactions": 1,
    "user.email.mode": "hash",
    "user.email.bytes": 15,
    "user.email.sha256": "ab12",
    paths: ["a.ts", "b.ts"],
    success: true,
    cost: 0.5,
  });
  assert.equal(record.attributes.filter((kv) => kv.key === "id").length, 1, "no key twice");
});

Deno.test("encodeOtlpLogs: one resource per harness, with host, service and version", () => {
  const request = decode([
    { ...prompt, id: "1" },
    { ...prompt, id: "2", harness: "claude_code" },
    { ...prompt, id: "3" },
    { id: "4", kind: "prompt" },
  ]);
  const byHarness = Object.fromEntries(request.resourceLogs.map((resourceLogs) => {
    const attributes = Object.fromEntries(
      resourceLogs.resource!.attributes.map((kv) => [kv.key, plain(kv.value!.value)]),
    );
    assert.equal(attributes["service.name"], "beacon");
    assert.equal(attributes["service.version"], "1.2.3");
    assert.equal(attributes["host.name"], "laptop-7");
    const ids = resourceLogs.scopeLogs[0].logRecords.map((r) =>
      plain(r.attributes.find((kv) => kv.key === "log.record.uid")!.value!.value)
    );
    return [attributes["beacon.harness"], ids];
  }));
  assert.deepEqual(byHarness, { codex: ["1", "3"], claude_code: ["2"], unknown: ["4"] });
});

Deno.test("encodeOtlpLogs: OTLP/JSON writes ids as hex and int64 as strings; bad ids are left out", () => {
  const { body, contentType } = encodeOtlpLogs(
    [prompt, { ...prompt, id: "z", trace_id: "00000000000000000000000000000000", span_id: "XYZ" }],
    resource,
    "http/json",
    observedAt,
  );
  assert.equal(contentType, "application/json");
  const json = JSON.parse(new TextDecoder().decode(body));
  const [good, bad] = json.resourceLogs[0].scopeLogs[0].logRecords;
  assert.equal(good.traceId, prompt.trace_id);
  assert.equal(good.spanId, prompt.span_id);
  assert.equal(good.timeUnixNano, String(BigInt(Date.parse(prompt.time)) * 1_000_000n));
  assert.equal(good.severityNumber, 9);
  assert.equal(bad.traceId, undefined);
  assert.equal(bad.spanId, undefined);
});

/** An event of the shape the runtime log holds: JSON values, objects nested a few levels. */
const jsonLeaf = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
);
const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.includes("."));
const nested = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    jsonLeaf,
    fc.array(jsonLeaf, { maxLength: 3 }),
    tie("object"),
  ),
  object: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
})).object as fc.Arbitrary<Record<string, unknown>>;

function flatten(prefix: string, value: Record<string, unknown>, out: Record<string, unknown>) {
  for (const [k, inner] of Object.entries(value)) {
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      flatten(`${prefix}${k}.`, inner as Record<string, unknown>, out);
    } else out[prefix + k] = inner;
  }
  return out;
}

Deno.test("encodeOtlpLogs: every leaf of every event arrives as an attribute, in both encodings", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.uuid(), fc.constantFrom("prompt", "tool_call"), nested), {
        minLength: 1,
        maxLength: 5,
      }),
      (list) => {
        const events = list.map(([id, kind, rest]) => ({ ...rest, id, kind, harness: "codex" }));
        const records = decode(events).resourceLogs[0].scopeLogs[0].logRecords;
        assert.equal(records.length, events.length);
        records.forEach((record, i) => {
          const got = Object.fromEntries(
            record.attributes.map((kv) => [kv.key, plain(kv.value!.value)]),
          );
          const wanted = flatten("", events[i], {});
          for (const [k, v] of Object.entries(wanted)) assert.deepEqual(got[k], v, k);
          assert.equal(got["log.record.uid"], events[i].id);
          assert.equal(got["event.name"], `beacon.${events[i].kind}`);
        });
        const json = encodeOtlpLogs(events, resource, "http/json", observedAt);
        const fromJson = JSON.parse(new TextDecoder().decode(json.body));
        assert.equal(fromJson.resourceLogs[0].scopeLogs[0].logRecords.length, events.length);
      },
    ),
  );
});
