import type { PromptEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseCount, normaliseString } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyClaudeCodeCommonFields } from "./classify_claude_code_common_fields.ts";
import { CLAUDE_CODE_REDACTED_PLACEHOLDER } from "./claude_code_redacted_placeholder.ts";
import { contentOrWithheld } from "../content_or_withheld.ts";

/**
 * A `prompt` event from a `claude_code.user_prompt` record. The text (`prompt`, else
 * `prompt_text`) goes through the policy's `prompt` rule; when Claude Code withheld it
 * (`<REDACTED>`, or no text at all) the field is `{ mode: <rule>, bytes: 0 }` and the event says
 * `source_redacted: true`. `prompt_length` arrives as a string and is written as a number.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.user_prompt", attributes: { prompt: "<REDACTED>", prompt_length: "39" },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyClaudeCodeUserPrompt(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event.prompt; // { mode: "drop", bytes: 0 }
 * event.prompt_length; // 39
 * ```
 */
export function classifyClaudeCodeUserPrompt(
  record: FlatLogRecord,
  context: ClassifyContext,
): PromptEvent {
  const attributes = record.attributes;
  const { prompt: rule, max_field_bytes: maxFieldBytes } = context.policy.content;
  const text = normaliseString(attributes["prompt"], { allowEmpty: true }) ??
    normaliseString(attributes["prompt_text"], { allowEmpty: true });
  const { field, withheld } = contentOrWithheld(text, rule, {
    maxFieldBytes,
    placeholder: CLAUDE_CODE_REDACTED_PLACEHOLDER,
  });
  const event = classifyClaudeCodeCommonFields(record, context, "prompt") as PromptEvent;
  event.prompt = field;
  const promptLength = normaliseCount(attributes["prompt_length"]);
  if (promptLength !== undefined) event.prompt_length = promptLength;
  if (withheld) event.source_redacted = true;
  return event;
}
