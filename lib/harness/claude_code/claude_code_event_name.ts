import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";

/** The prefix of every Claude Code log event's name. */
export const CLAUDE_CODE_EVENT_PREFIX = "claude_code.";

/**
 * The name of a Claude Code log event, e.g. `claude_code.user_prompt`. Claude Code 2.1 puts it
 * in the record's string `body` and repeats it without the prefix in the `event.name`
 * attribute; the LogRecord `event_name` field is empty. Any of the three is enough.
 *
 * @example
 * ```ts
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * import { claudeCodeEventName } from "./claude_code_event_name.ts";
 * const record = { body: "claude_code.api_request", attributes: {}, eventName: "" } as unknown as FlatLogRecord;
 * claudeCodeEventName(record); // "claude_code.api_request"
 * claudeCodeEventName({ body: null, attributes: { "event.name": "user_prompt" }, eventName: "" } as unknown as FlatLogRecord);
 * // "claude_code.user_prompt"
 * ```
 */
export function claudeCodeEventName(record: FlatLogRecord): string | undefined {
  const body = typeof record.body === "string" ? record.body.trim() : "";
  if (body.startsWith(CLAUDE_CODE_EVENT_PREFIX)) return body;
  const name = normaliseString(record.attributes["event.name"])?.trim() || record.eventName.trim();
  if (!name) return undefined;
  return name.startsWith(CLAUDE_CODE_EVENT_PREFIX) ? name : CLAUDE_CODE_EVENT_PREFIX + name;
}
