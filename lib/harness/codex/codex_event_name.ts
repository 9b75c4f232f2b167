import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";

/**
 * The Codex event a log record is: its `event.name` attribute (what Codex 0.169 sends), else
 * the LogRecord's own `event_name` field (where OpenTelemetry now puts event names; Codex 0.169
 * fills it with a source location, which names no event). When both are set and disagree, the
 * attribute wins. `undefined` when neither names anything.
 *
 * @example
 * ```ts
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * import { codexEventName } from "./codex_event_name.ts";
 * codexEventName({ attributes: {}, eventName: "codex.user_prompt" } as unknown as FlatLogRecord);
 * // "codex.user_prompt"
 * ```
 */
export function codexEventName(record: FlatLogRecord): string | undefined {
  return normaliseString(record.attributes["event.name"])?.trim() ||
    record.eventName.trim() || undefined;
}
