import { scrubSecrets } from "../content/scrub_secrets.ts";
import { truncateUtf8 } from "../content/truncate_utf8.ts";
import type { OtherServiceLogEvent } from "../events/beacon_event.ts";
import { beaconEventId } from "../events/beacon_event_id.ts";
import type { ClassifyContext } from "../events/classify_context.ts";
import { eventTime } from "../events/event_time.ts";
import { normaliseString } from "../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";

/** The longest event name kept, in UTF-8 bytes: a name, not a message. */
const MAX_NAME_BYTES = 256;

/** OTLP SeverityNumber ranges (1-4 TRACE ... 21-24 FATAL). */
const SEVERITY_NAMES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;

/**
 * An `other_service_log` event for a log record from a service that is no harness Beacon
 * knows (`collector.other_services = "record"`): the service's name and version, the time, the
 * record's event name (its `event.name` attribute, else the OTLP `event_name` field, else
 * `log`; secrets scrubbed, cut to 256 bytes) and severity. The body and the attributes are
 * never read: nobody reviewed what that service puts there.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";
 * import { classifyOtherServiceLog } from "./classify_other_service_log.ts";
 * const record = {
 *   body: "user alice@example.com logged in", attributes: { "event.name": "login" },
 *   resource: { "service.name": "checkout-api" }, observedTimeUnixNano: 0n, timeUnixNano: 0n,
 *   severityNumber: 9, severityText: "", traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyOtherServiceLog(record, {
 *   policy: v.parse(PolicySchema, {}), receivedAt: new Date(0),
 * });
 * [event.harness, event.service_name, event.source_event, event.severity];
 * // ["other", "checkout-api", "login", "INFO"]
 * ```
 */
export function classifyOtherServiceLog(
  record: FlatLogRecord,
  context: ClassifyContext,
): OtherServiceLogEvent {
  const serviceName = normaliseString(record.resource["service.name"]) ?? null;
  const name = normaliseString(record.attributes["event.name"]) || record.eventName || "log";
  const sourceEvent = truncateUtf8(scrubSecrets(name).text, MAX_NAME_BYTES).text;
  const event: OtherServiceLogEvent = {
    schema_version: 1,
    id: beaconEventId([
      "other",
      serviceName,
      sourceEvent,
      record.observedTimeUnixNano,
      record.timeUnixNano,
      record.traceId,
      record.spanId,
    ]),
    time: eventTime({
      observedTimeUnixNano: record.observedTimeUnixNano,
      timeUnixNano: record.timeUnixNano,
      receivedAt: context.receivedAt,
    }),
    harness: "other",
    harness_version: normaliseString(record.resource["service.version"]) ?? null,
    kind: "other_service_log",
    session_id: null,
    source_event: sourceEvent,
    service_name: serviceName,
  };
  const severity = severityOf(record);
  if (severity) event.severity = severity;
  if (record.traceId) event.trace_id = record.traceId;
  if (record.spanId) event.span_id = record.spanId;
  return event;
}

function severityOf(record: FlatLogRecord): string | undefined {
  if (record.severityText) return truncateUtf8(scrubSecrets(record.severityText).text, 32).text;
  const number = record.severityNumber;
  if (!Number.isInteger(number) || number < 1 || number > 24) return undefined;
  return SEVERITY_NAMES[Math.floor((number - 1) / 4)];
}
