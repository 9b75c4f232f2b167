/**
 * Flattens an OTLP logs Export request into one plain record per log record.
 *
 * @module
 */

import { bytesToHex } from "../bytes/bytes_to_hex.ts";
import { flattenAnyValue, flattenKeyValues, type FlatValue } from "./flatten_any_value.ts";
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { type FlatScope, flattenScope } from "./flatten_scope.ts";
import { freezeFlatObject } from "./freeze_flat_object.ts";

/**
 * One OTLP log record with its resource and scope, in plain values.
 *
 * For Codex, the event is the `event.name` attribute (`codex.user_prompt`, ...), not
 * `eventName`; `timeUnixNano` is 0, so use `observedTimeUnixNano` or `event.timestamp`.
 */
export interface FlatLogRecord {
  /** When the event happened, in Unix nanoseconds; 0n when unknown. */
  timeUnixNano: bigint;
  /** When the SDK saw the event, in Unix nanoseconds; 0n when unknown. */
  observedTimeUnixNano: bigint;
  /** The OTLP SeverityNumber (9 = INFO, 5 = DEBUG, ...); 0 when unset. */
  severityNumber: number;
  severityText: string;
  /** null when the record has no body. */
  body: FlatValue;
  attributes: Record<string, FlatValue>;
  /** The resource's attributes (one frozen object shared by the records of a resource). */
  resource: Record<string, FlatValue>;
  scope: FlatScope;
  /** Lower-case hex; "" when absent. */
  traceId: string;
  /** Lower-case hex; "" when absent. */
  spanId: string;
  /** The LogRecord `event_name` field ("" when unset). Codex puts a source location here. */
  eventName: string;
}

/**
 * Flattens every log record of a logs Export request, in order, each with its resource
 * attributes and scope. Attribute values follow {@link FlatValue}.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
 * import { flattenLogRecords } from "./flatten_log_records.ts";
 * const request = create(ExportLogsServiceRequestSchema, {
 *   resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: "INFO" }] }] }],
 * });
 * flattenLogRecords(request)[0].severityText; // "INFO"
 * ```
 */
export function flattenLogRecords(request: ExportLogsServiceRequest): FlatLogRecord[] {
  const flat: FlatLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    // Shared by every item of the group (frozen): never a copy per item.
    const resource = freezeFlatObject(flattenKeyValues(resourceLogs.resource?.attributes ?? []));
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const scope = Object.freeze(flattenScope(scopeLogs.scope));
      for (const record of scopeLogs.logRecords) {
        flat.push({
          timeUnixNano: record.timeUnixNano,
          observedTimeUnixNano: record.observedTimeUnixNano,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: flattenAnyValue(record.body),
          attributes: flattenKeyValues(record.attributes),
          resource,
          scope,
          traceId: bytesToHex(record.traceId),
          spanId: bytesToHex(record.spanId),
          eventName: record.eventName,
        });
      }
    }
  }
  return flat;
}
