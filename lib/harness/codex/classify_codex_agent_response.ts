import type { AgentResponseEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";
import { contentOrWithheld } from "../content_or_withheld.ts";

/**
 * An `agent_response` event from a `codex.agent_response` record (sent only with
 * `log_agent_responses = true`): the answer through the policy's `agent_response` rule, its
 * length and the turn and item it belongs to. A record without a `response` attribute gives
 * `{ mode: <rule>, bytes: 0 }`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.agent_response", response: "Done.", response_length: "5" },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexAgentResponse(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event.response; // { mode: "drop", bytes: 5 }
 * ```
 */
export function classifyCodexAgentResponse(
  record: FlatLogRecord,
  context: ClassifyContext,
): AgentResponseEvent {
  const attributes = record.attributes;
  const { agent_response: rule, max_field_bytes: maxFieldBytes } = context.policy.content;
  const response = normaliseString(attributes["response"], { allowEmpty: true });
  const event = classifyCodexCommonFields(record, context, "agent_response") as AgentResponseEvent;
  event.response = contentOrWithheld(response, rule, { maxFieldBytes }).field;
  const responseLength = normaliseCount(attributes["response_length"]);
  if (responseLength !== undefined) event.response_length = responseLength;
  const responseTruncated = normaliseBoolean(attributes["response_truncated"]);
  if (responseTruncated !== undefined) event.response_truncated = responseTruncated;
  const agentType = normaliseString(attributes["agent.type"]);
  if (agentType !== undefined) event.agent_type = agentType;
  const turnId = normaliseString(attributes["turn.id"]);
  if (turnId !== undefined) event.turn_id = turnId;
  const itemId = normaliseString(attributes["item.id"]);
  if (itemId !== undefined) event.item_id = itemId;
  const rootTurnId = normaliseString(attributes["root.turn.id"]);
  if (rootTurnId !== undefined) event.root_turn_id = rootTurnId;
  return event;
}
