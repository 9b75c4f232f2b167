import type { AgentResponseEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseCount, normaliseString } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyClaudeCodeCommonFields } from "./classify_claude_code_common_fields.ts";
import { CLAUDE_CODE_REDACTED_PLACEHOLDER } from "./claude_code_redacted_placeholder.ts";
import { contentOrWithheld } from "../content_or_withheld.ts";

/**
 * An `agent_response` event from a `claude_code.assistant_response` record (one per model
 * turn): the `response` through the policy's `agent_response` rule, or `{ mode, bytes: 0 }`
 * when Claude Code withheld it (`<REDACTED>`), and `response_length` as sent.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.assistant_response", attributes: { response: "Done.", response_length: 5 },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * classifyClaudeCodeAssistantResponse(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() }).response;
 * // { mode: "drop", bytes: 5 }
 * ```
 */
export function classifyClaudeCodeAssistantResponse(
  record: FlatLogRecord,
  context: ClassifyContext,
): AgentResponseEvent {
  const attributes = record.attributes;
  const { agent_response: rule, max_field_bytes: maxFieldBytes } = context.policy.content;
  const response = normaliseString(attributes["response"], { allowEmpty: true });
  const event = classifyClaudeCodeCommonFields(
    record,
    context,
    "agent_response",
  ) as AgentResponseEvent;
  event.response = contentOrWithheld(response, rule, {
    maxFieldBytes,
    placeholder: CLAUDE_CODE_REDACTED_PLACEHOLDER,
  }).field;
  const responseLength = normaliseCount(attributes["response_length"]);
  if (responseLength !== undefined) event.response_length = responseLength;
  return event;
}
