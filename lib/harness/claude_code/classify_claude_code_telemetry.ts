import type { ClassifyContext } from "../../events/classify_context.ts";
import type { OtlpRequest, OtlpSignal } from "../../otlp/otlp_signal.ts";
import type { ClassifiedExport } from "../harness_adapter.ts";
import { classifyHarnessExport } from "../classify_harness_export.ts";
import { classifyRawMetric } from "../classify_raw_metric.ts";
import { classifyRawSpan, type RawTelemetrySource } from "../classify_raw_span.ts";
import { claudeCodePolicyOf } from "./claude_code_policy_of.ts";
import { CLAUDE_CODE_HARNESS } from "./classify_claude_code_common_fields.ts";
import { classifyClaudeCodeLogRecord } from "./classify_claude_code_log_record.ts";

/**
 * Flattens a decoded Claude Code Export request and classifies every item with the policy
 * applied: log records with `classifyClaudeCodeLogRecord`; spans and metric streams (none unless
 * `[harnesses.claude-code]` includes them) as raw `span` and `metric` events
 * (`classifyRawSpan`, `classifyRawMetric`, as for every harness), the session from `session.id`.
 * Pure.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { create } from "@bufbuild/protobuf";
 * import { ExportMetricsServiceRequestSchema } from "../../otlp/gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * const request = create(ExportMetricsServiceRequestSchema, {
 *   resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: "claude_code.cost.usage" }] }] }],
 * });
 * classifyClaudeCodeExport("metrics", request, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * // { events: [], dropped: 1 } (metrics are off by default)
 * ```
 */
export function classifyClaudeCodeExport<S extends OtlpSignal>(
  signal: S,
  request: OtlpRequest<S>,
  context: ClassifyContext,
): ClassifiedExport {
  const claude = claudeCodePolicyOf(context.policy);
  return classifyHarnessExport(signal, request, {
    includeSpans: claude.include_spans,
    includeMetrics: claude.include_metrics,
    logRecord: (record) => classifyClaudeCodeLogRecord(record, context),
    span: (span) => classifyRawSpan(span, context, CLAUDE_CODE_RAW),
    metric: (metric) => classifyRawMetric(metric, context, CLAUDE_CODE_RAW),
  });
}

/** Claude Code's spans and metric points carry the session as `session.id`. */
const CLAUDE_CODE_RAW: RawTelemetrySource = {
  harness: CLAUDE_CODE_HARNESS,
  sessionAttribute: "session.id",
};
