import type { BeaconEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { flattenLogRecords } from "../../otlp/flatten_log_records.ts";
import { flattenSpans } from "../../otlp/flatten_spans.ts";
import type { OtlpRequest, OtlpSignal } from "../../otlp/otlp_signal.ts";
import { summarizeMetrics } from "../../otlp/summarize_metrics.ts";
import { countExportItems } from "../../otlp/count_export_items.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import { classifyCodexMetric } from "./classify_codex_metric.ts";
import { classifyCodexSpan } from "./classify_codex_span.ts";

/** The Beacon events of one Export request, and how many of its items were dropped. */
export interface ClassifiedExport {
  /** In the request's order. */
  events: BeaconEvent[];
  /** Log records, spans or metric streams that gave no event. */
  dropped: number;
}

/**
 * Flattens a decoded Codex Export request and classifies every item with the policy applied:
 * log records with `classifyCodexLogRecord`, spans with `classifyCodexSpan` and metric streams
 * with `classifyCodexMetric` (both none unless the policy includes them). Pure.
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
  const events: BeaconEvent[] = [];
  let dropped = 0;
  const add = (event: BeaconEvent | undefined) => {
    if (event === undefined) dropped++;
    else events.push(event);
  };
  switch (signal) {
    case "logs":
      for (const record of flattenLogRecords(request as OtlpRequest<"logs">)) {
        add(classifyCodexLogRecord(record, context));
      }
      break;
    case "traces":
      // Left out by the policy (the default): counted, never flattened.
      if (!context.policy.harnesses.codex.include_spans) {
        return { events, dropped: countExportItems(signal, request) };
      }
      for (const span of flattenSpans(request as OtlpRequest<"traces">)) {
        add(classifyCodexSpan(span, context));
      }
      break;
    case "metrics":
      if (!context.policy.harnesses.codex.include_metrics) {
        return { events, dropped: countExportItems(signal, request) };
      }
      for (const metric of summarizeMetrics(request as OtlpRequest<"metrics">)) {
        add(classifyCodexMetric(metric, context));
      }
      break;
  }
  return { events, dropped };
}
