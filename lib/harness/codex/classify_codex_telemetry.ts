import type { ClassifyContext } from "../../events/classify_context.ts";
import type { OtlpRequest, OtlpSignal } from "../../otlp/otlp_signal.ts";
import type { ClassifiedExport } from "../harness_adapter.ts";
import { classifyHarnessExport } from "../classify_harness_export.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import { classifyRawMetric } from "../classify_raw_metric.ts";
import { classifyRawSpan, type RawTelemetrySource } from "../classify_raw_span.ts";

/**
 * Flattens a decoded Codex Export request and classifies every item with the policy applied:
 * log records with `classifyCodexLogRecord`, spans and metric streams as raw `span` and `metric`
 * events (`classifyRawSpan`, `classifyRawMetric`; none unless the policy includes them). Pure.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { create } from "@bufbuild/protobuf";
 * import { ExportTraceServiceRequestSchema } from "../../otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * const request = create(ExportTraceServiceRequestSchema, {
 *   resourceSpans: [{ scopeSpans: [{ spans: [{ name: "run_turn" }] }] }],
 * });
 * classifyCodexExport("traces", request, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * // { events: [], dropped: 1 } (spans are off by default)
 * ```
 */
export function classifyCodexExport<S extends OtlpSignal>(
  signal: S,
  request: OtlpRequest<S>,
  context: ClassifyContext,
): ClassifiedExport {
  const codex = context.policy.harnesses.codex;
  return classifyHarnessExport(signal, request, {
    includeSpans: codex.include_spans,
    includeMetrics: codex.include_metrics,
    logRecord: (record) => classifyCodexLogRecord(record, context),
    span: (span) => classifyRawSpan(span, context, CODEX_SPANS),
    metric: (metric) => classifyRawMetric(metric, context, CODEX_METRICS),
  });
}

/** Codex's spans carry the session as `conversation.id`; its metrics carry none. */
const CODEX_SPANS: RawTelemetrySource = { harness: "codex", sessionAttribute: "conversation.id" };
const CODEX_METRICS: RawTelemetrySource = { harness: "codex" };
