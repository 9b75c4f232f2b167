import type { OtlpRequest, OtlpSignal } from "./otlp_signal.ts";

/**
 * The log records, spans or metric streams of a decoded Export request (what partial-success
 * counts and the collector's counters report).
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExportTraceServiceRequestSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
 * import { countExportItems } from "./count_export_items.ts";
 * const request = create(ExportTraceServiceRequestSchema, {
 *   resourceSpans: [{ scopeSpans: [{ spans: [{ name: "a" }, { name: "b" }] }] }],
 * });
 * countExportItems("traces", request); // 2
 * ```
 */
export function countExportItems(signal: OtlpSignal, request: OtlpRequest): number {
  let count = 0;
  if (signal === "logs") {
    for (const r of (request as OtlpRequest<"logs">).resourceLogs) {
      for (const s of r.scopeLogs) count += s.logRecords.length;
    }
  } else if (signal === "traces") {
    for (const r of (request as OtlpRequest<"traces">).resourceSpans) {
      for (const s of r.scopeSpans) count += s.spans.length;
    }
  } else {
    for (const r of (request as OtlpRequest<"metrics">).resourceMetrics) {
      for (const s of r.scopeMetrics) count += s.metrics.length;
    }
  }
  return count;
}
