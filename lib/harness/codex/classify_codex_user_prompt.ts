import type { PromptEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseCount, normaliseString } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";
import { contentOrWithheld } from "../content_or_withheld.ts";

/**
 * What Codex sends as `prompt` when `log_user_prompt = false`. The true prompt never reached
 * Beacon, so Beacon must not hash or count the placeholder as if it were the prompt.
 */
export const CODEX_REDACTED_PLACEHOLDER = "[REDACTED]";

/**
 * A `prompt` event from a `codex.user_prompt` record. The text goes through the policy's
 * `prompt` rule; when Codex withheld it (`[REDACTED]`, or no `prompt` attribute), the field is
 * `{ mode: <rule>, bytes: 0 }` and the event says `source_redacted: true`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.user_prompt", prompt: "[REDACTED]", prompt_length: "76" },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexUserPrompt(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event.prompt; // { mode: "drop", bytes: 0 }
 * event.source_redacted; // true
 * ```
 */
export function classifyCodexUserPrompt(
  record: FlatLogRecord,
  context: ClassifyContext,
): PromptEvent {
  const attributes = record.attributes;
  const { prompt: rule, max_field_bytes: maxFieldBytes } = context.policy.content;
  const text = normaliseString(attributes["prompt"], { allowEmpty: true });
  const { field, withheld } = contentOrWithheld(text, rule, {
    maxFieldBytes,
    placeholder: CODEX_REDACTED_PLACEHOLDER,
  });
  const event = classifyCodexCommonFields(record, context, "prompt") as PromptEvent;
  event.prompt = field;
  const promptLength = normaliseCount(attributes["prompt_length"]);
  if (promptLength !== undefined) event.prompt_length = promptLength;
  if (withheld) event.source_redacted = true;
  const textInputs = normaliseCount(attributes["text_input_count"]);
  if (textInputs !== undefined) event.text_input_count = textInputs;
  const imageInputs = normaliseCount(attributes["image_input_count"]);
  if (imageInputs !== undefined) event.image_input_count = imageInputs;
  const localImageInputs = normaliseCount(attributes["local_image_input_count"]);
  if (localImageInputs !== undefined) event.local_image_input_count = localImageInputs;
  return event;
}
