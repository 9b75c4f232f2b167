import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { ExportMetricsServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import { ExportTraceServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type { BeaconEvent } from "../events/beacon_event.ts";
import { classifyHarnessExport, type ExportClassifiers } from "./classify_harness_export.ts";

/** Classifiers that name what they were given, and give nothing for names starting "skip". */
function naming(include: boolean): ExportClassifiers & { asked: string[] } {
  const asked: string[] = [];
  const event = (kind: string, name: string) => {
    asked.push(`${kind} ${name}`);
    return name.startsWith("skip") ? undefined : { id: `${kind} ${name}` } as BeaconEvent;
  };
  return {
    asked,
    includeSpans: include,
    includeMetrics: include,
    logRecord: (record) => event("log", String(record.attributes["event.name"])),
    span: (span) => event("span", span.name),
    metric: (metric) => event("metric", metric.name),
  };
}

const logs = create(ExportLogsServiceRequestSchema, {
  resourceLogs: [{
    scopeLogs: [{
      logRecords: ["a", "skip-b", "c"].map((name) => ({
        attributes: [{
          key: "event.name",
          value: { value: { case: "stringValue" as const, value: name } },
        }],
      })),
    }],
  }],
});
const traces = create(ExportTraceServiceRequestSchema, {
  resourceSpans: [{ scopeSpans: [{ spans: [{ name: "turn" }, { name: "skip-tool" }] }] }],
});
const metrics = create(ExportMetricsServiceRequestSchema, {
  resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: "tokens" }, { name: "cost" }] }] }],
});

Deno.test("each item goes to its signal's classifier, in order; an item with no event is dropped", () => {
  const classifiers = naming(true);
  const out = {
    logs: classifyHarnessExport("logs", logs, classifiers),
    traces: classifyHarnessExport("traces", traces, classifiers),
    metrics: classifyHarnessExport("metrics", metrics, classifiers),
  };
  assert.deepEqual(out.logs.events.map((event) => event.id), ["log a", "log c"]);
  assert.equal(out.logs.dropped, 1);
  assert.deepEqual(out.traces.events.map((event) => event.id), ["span turn"]);
  assert.equal(out.traces.dropped, 1);
  assert.deepEqual(out.metrics.events.map((event) => event.id), ["metric tokens", "metric cost"]);
  assert.equal(out.metrics.dropped, 0);
});

Deno.test("spans and metrics the harness leaves out are all dropped, never classified", () => {
  const classifiers = naming(false);
  assert.deepEqual(classifyHarnessExport("traces", traces, classifiers), {
    events: [],
    dropped: 2,
  });
  assert.deepEqual(classifyHarnessExport("metrics", metrics, classifiers), {
    events: [],
    dropped: 2,
  });
  assert.deepEqual(classifiers.asked, []);
  // Log records have no switch: the harness's classifier decides each one.
  assert.equal(classifyHarnessExport("logs", logs, classifiers).events.length, 2);
});
