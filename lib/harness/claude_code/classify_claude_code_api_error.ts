import { scrubSecrets } from "../../content/scrub_secrets.ts";
import { truncateUtf8 } from "../../content/truncate_utf8.ts";
import type { ApiErrorEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseCount,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyClaudeCodeCommonFields } from "./classify_claude_code_common_fields.ts";

/**
 * An `api_error` event from a `claude_code.api_error` record (a model request that failed after
 * Claude Code's retries): the HTTP `status_code`, the `error` message (secrets scrubbed, cut to
 * `max_field_bytes`), which `attempt` it was, its `duration_ms`, the model and `request_id`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.api_error",
 *   attributes: { error: "Overloaded", status_code: 529, attempt: 3, model: "claude-opus-5-5" },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * classifyClaudeCodeApiError(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() }).status_code;
 * // 529
 * ```
 */
export function classifyClaudeCodeApiError(
  record: FlatLogRecord,
  context: ClassifyContext,
): ApiErrorEvent {
  const attributes = record.attributes;
  const event = classifyClaudeCodeCommonFields(record, context, "api_error") as ApiErrorEvent;
  event.status_code = normaliseCount(attributes["status_code"]) ?? null;
  const error = normaliseString(attributes["error"]);
  if (error !== undefined) {
    event.error = truncateUtf8(scrubSecrets(error).text, context.policy.content.max_field_bytes)
      .text;
  }
  const attempt = normaliseCount(attributes["attempt"]);
  if (attempt !== undefined) event.attempt = attempt;
  const duration = normaliseNumber(attributes["duration_ms"]);
  if (duration !== undefined) event.duration_ms = duration;
  const requestId = normaliseString(attributes["request_id"]);
  if (requestId !== undefined) event.request_id = requestId;
  return event;
}
