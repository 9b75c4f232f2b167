import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";
import { flattenLogRecords } from "../otlp/flatten_log_records.ts";
import type { OtlpRequest, OtlpSignal } from "../otlp/otlp_signal.ts";
import { countExportItems } from "../otlp/count_export_items.ts";

/**
 * One Export request's content as the pipeline takes it: log records already flattened (the
 * hot path decodes protobuf straight into them), spans and metrics as decoded messages.
 */
export type ExportBatch =
  | { signal: "logs"; records: FlatLogRecord[] }
  | { signal: "traces"; request: OtlpRequest<"traces"> }
  | { signal: "metrics"; request: OtlpRequest<"metrics"> };

/** The batch of a decoded Export request (Connect and gRPC calls, OTLP/JSON). */
export function exportBatchOf(signal: OtlpSignal, request: OtlpRequest): ExportBatch {
  if (signal === "logs") {
    return { signal, records: flattenLogRecords(request as OtlpRequest<"logs">) };
  }
  return signal === "traces"
    ? { signal, request: request as OtlpRequest<"traces"> }
    : { signal, request: request as OtlpRequest<"metrics"> };
}

/** Log records, spans or metric streams in a batch. */
export function countBatchItems(batch: ExportBatch): number {
  return batch.signal === "logs"
    ? batch.records.length
    : countExportItems(batch.signal, batch.request);
}
