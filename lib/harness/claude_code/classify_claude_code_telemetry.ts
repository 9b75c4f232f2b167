import type { BeaconEvent } from "../../events/beacon_event.ts";
import { beaconEventId } from "../../events/beacon_event_id.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import type { FlatValue } from "../../otlp/flatten_any_value.ts";
import type { OtlpRequest, OtlpSignal } from "../../otlp/otlp_signal.ts";
import type { ClassifiedExport } from "../harness_adapter.ts";
import { classifyHarnessExport } from "../classify_harness_export.ts";
import { classifyCodexMetric } from "../codex/classify_codex_metric.ts";
import { classifyCodexSpan } from "../codex/classify_codex_span.ts";
import { claudeCodePolicyOf } from "./claude_code_policy_of.ts";
import { CLAUDE_CODE_HARNESS } from "./classify_claude_code_common_fields.ts";
import { classifyClaudeCodeLogRecord } from "./classify_claude_code_log_record.ts";

/**
 * Flattens a decoded Claude Code Export request and classifies every item with the policy
 * applied: log records with `classifyClaudeCodeLogRecord`; spans and metric streams (none unless
 * `[harnesses.claude-code]` includes them) as raw `span` and `metric` events, compacted and
 * scrubbed exactly as Codex's are, with the session taken from `session.id`. Pure.
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
  // Raw spans and metrics are compacted the same way for every harness: the Codex functions,
  // asked with this harness's switches, then labelled as Claude Code's.
  const raw: ClassifyContext = {
    ...context,
    policy: {
      ...context.policy,
      harnesses: {
        ...context.policy.harnesses,
        codex: {
          ...context.policy.harnesses.codex,
          include_spans: claude.include_spans,
          include_metrics: claude.include_metrics,
        },
      },
    },
  };
  return classifyHarnessExport(signal, request, {
    includeSpans: claude.include_spans,
    includeMetrics: claude.include_metrics,
    logRecord: (record) => classifyClaudeCodeLogRecord(record, context),
    span: (span) => relabel(classifyCodexSpan(span, raw), [span.attributes]),
    metric: (metric) =>
      relabel(classifyCodexMetric(metric, raw), metric.dataPoints.map((point) => point.attributes)),
  });
}

function relabel<E extends BeaconEvent>(
  event: E | undefined,
  attributeSets: readonly Record<string, FlatValue>[],
): E | undefined {
  if (event === undefined) return undefined;
  const sessionId = attributeSets.map((attributes) => normaliseString(attributes["session.id"]))
    .find((id) => id !== undefined) ?? null;
  return {
    ...event,
    id: beaconEventId([CLAUDE_CODE_HARNESS, event.id]),
    harness: CLAUDE_CODE_HARNESS,
    session_id: sessionId,
  };
}
