import type { BeaconEvent } from "../events/beacon_event.ts";
import { countExportItems } from "../otlp/count_export_items.ts";
import { type FlatLogRecord, flattenLogRecords } from "../otlp/flatten_log_records.ts";
import { type FlatSpan, flattenSpans } from "../otlp/flatten_spans.ts";
import type { OtlpRequest, OtlpSignal } from "../otlp/otlp_signal.ts";
import { type FlatMetric, summarizeMetrics } from "../otlp/summarize_metrics.ts";
import type { ClassifiedExport } from "./harness_adapter.ts";

/** One harness's classifiers, with the policy already applied, and its span and metric switches. */
export interface ExportClassifiers {
  /** The harness's `include_spans`: when false, spans are counted as dropped, never flattened. */
  includeSpans: boolean;
  /** The harness's `include_metrics`, likewise for metric streams. */
  includeMetrics: boolean;
  logRecord(record: FlatLogRecord): BeaconEvent | undefined;
  span(span: FlatSpan): BeaconEvent | undefined;
  metric(metric: FlatMetric): BeaconEvent | undefined;
}

/**
 * Flattens a decoded Export request and classifies every item, in the request's order: log
 * records, spans and metric streams each with the harness's classifier. An item that gives no
 * event counts as dropped; spans or metrics the harness leaves out are all dropped. Pure.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExportTraceServiceRequestSchema } from "../otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
 * import { classifyHarnessExport } from "./classify_harness_export.ts";
 *
 * const request = create(ExportTraceServiceRequestSchema, {
 *   resourceSpans: [{ scopeSpans: [{ spans: [{ name: "run_turn" }] }] }],
 * });
 * classifyHarnessExport("traces", request, {
 *   includeSpans: false,
 *   includeMetrics: false,
 *   logRecord: () => undefined,
 *   span: () => undefined,
 *   metric: () => undefined,
 * });
 * // { events: [], dropped: 1 }
 * ```
 */
export function classifyHarnessExport<S extends OtlpSignal>(
  signal: S,
  request: OtlpRequest<S>,
  classifiers: ExportClassifiers,
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
        add(classifiers.logRecord(record));
      }
      break;
    case "traces":
      // Left out by the policy (the default): counted, never flattened.
      if (!classifiers.includeSpans) return { events, dropped: countExportItems(signal, request) };
      for (const span of flattenSpans(request as OtlpRequest<"traces">)) {
        add(classifiers.span(span));
      }
      break;
    case "metrics":
      if (!classifiers.includeMetrics) {
        return { events, dropped: countExportItems(signal, request) };
      }
      for (const metric of summarizeMetrics(request as OtlpRequest<"metrics">)) {
        add(classifiers.metric(metric));
      }
      break;
  }
  return { events, dropped };
}
