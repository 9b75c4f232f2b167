/**
 * Telemetry from services that are not Codex is never labelled Codex (issue 7 item 7): Beacon
 * classifies by the resource's `service.name` (Codex sets its originator, `codex_exec`,
 * `codex-tui`...), so another service's spans, metrics and even Codex-named log records sent to
 * the same collector are dropped and counted apart.
 */
import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { ExportTraceServiceRequestSchema } from "../../lib/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { KeyValueSchema } from "../../lib/otlp/gen/opentelemetry/proto/common/v1/common_pb.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { codexLogsRequest } from "../support/codex_payloads.ts";
import { sendOtlp } from "../support/otlp_transports.ts";

const str = (key: string, value: string) => ({
  key,
  value: { value: { case: "stringValue" as const, value } },
});

/** Codex's request with its resource's service.name replaced. */
function logsFrom(serviceName: string | undefined, session: string): Uint8Array {
  const request = create(ExportLogsServiceRequestSchema, codexLogsRequest(session, 2));
  request.resourceLogs[0].resource!.attributes =
    (serviceName === undefined
      ? []
      : [str("service.name", serviceName), str("service.version", "9.9.9")]).map((init) =>
        create(KeyValueSchema, init)
      );
  return toBinary(ExportLogsServiceRequestSchema, request);
}

/** Sends Codex's two-record request once per (service.name, session) pair; each accepted. */
async function sendLogsFrom(url: string, pairs: [string | undefined, string][]): Promise<void> {
  for (const [service, session] of pairs) {
    const outcome = await sendOtlp({ url }, "http-protobuf", "logs", logsFrom(service, session));
    assert.ok(outcome.accepted, outcome.message);
  }
}

Deno.test("Codex-named log records from another service are dropped and counted, not written as Codex", async () => {
  await using c = await startInProcessCollector({
    policyText: `version = 1\n[harnesses.codex]\ninclude_spans = true\n`,
  });
  await sendLogsFrom(c.url, [
    ["codex_exec", "from-codex-exec"],
    ["codex-tui", "from-codex-tui"],
    ["checkout-api", "from-checkout-api"],
    [undefined, "no-service-name"],
  ]);
  const spans = toBinary(
    ExportTraceServiceRequestSchema,
    create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          resource: { attributes: [str("service.name", "checkout-api")] },
          scopeSpans: [{ spans: [{ name: "GET /cart" }, { name: "SELECT" }] }],
        },
        {
          resource: { attributes: [str("service.name", "codex_exec")] },
          scopeSpans: [{ spans: [{ name: "run_turn" }] }],
        },
      ],
    }),
  );
  assert.ok((await sendOtlp({ url: c.url }, "http-protobuf", "traces", spans)).accepted);
  const events = await c.events();
  const sessions = new Set(events.map((event) => event.session_id).filter(Boolean));
  assert.deepEqual([...sessions].sort(), ["from-codex-exec", "from-codex-tui"]);
  assert.ok(events.every((event) => event.harness === "codex"));
  assert.ok(events.every((event) => event.harness_version !== "9.9.9"), "no foreign version");
  const spanNames = events.filter((event) => event.kind === "span").map((event) =>
    event.source_event
  );
  assert.deepEqual(spanNames, ["run_turn"]);
  const counters = c.collector.health().counters;
  assert.equal(counters.recordsFromOtherServices, 2 + 2 + 2, "2 records x 2 + 2 spans");
});

Deno.test('collector.other_services = "record": other services\' log records are kept as harness "other", names only', async () => {
  await using c = await startInProcessCollector({
    policyText: `version = 1\n[collector]\nother_services = "record"\n`,
  });
  await sendLogsFrom(c.url, [
    ["codex_exec", "from-codex-exec"],
    ["checkout-api", "from-checkout-api"],
    [undefined, "no-service-name"],
  ]);
  const events = await c.events();
  const codex = events.filter((event) => event.harness === "codex");
  const other = events.filter((event) => event.harness === "other");
  assert.equal(codex.length + other.length, events.length);
  assert.ok(codex.length > 0);
  assert.deepEqual(
    other.map((event) => [event.kind, event.service_name, event.harness_version]),
    [
      ["other_service_log", "checkout-api", "9.9.9"],
      ["other_service_log", "checkout-api", "9.9.9"],
      ["other_service_log", null, null],
      ["other_service_log", null, null],
    ],
  );
  // Names and metadata only: the records' attributes and bodies (unreviewed content) are not kept.
  for (const event of other) {
    assert.equal(event.session_id, null);
    assert.ok(typeof event.source_event === "string" && event.source_event.length > 0);
    const text = JSON.stringify(event);
    assert.doesNotMatch(text, /from-checkout-api|no-service-name/, "no attribute values");
    assert.ok(!("attributes" in event) && !("content" in event) && !("body" in event));
  }
  // Still counted apart: they come from other services.
  assert.equal(c.collector.health().counters.recordsFromOtherServices, 4);
});
