import { applyContentRule } from "../../content/apply_content_rule.ts";
import type { AutomatedReviewEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";

/**
 * An `automated_review` event from a `codex.guardian_assessment` record (sent with
 * `log_guardian_assessments = true` when an automated reviewer judged a tool call): outcome,
 * risk level, timing, and the reviewer's rationale through the policy's `agent_response` rule
 * (it is model-written text that quotes the reviewed command).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.guardian_assessment", outcome: "deny", started_at_ms: "10", completed_at_ms: 25 },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexGuardianAssessment(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * [event.outcome, event.duration_ms]; // ["deny", 15]
 * ```
 */
export function classifyCodexGuardianAssessment(
  record: FlatLogRecord,
  context: ClassifyContext,
): AutomatedReviewEvent {
  const attributes = record.attributes;
  const { agent_response: rule, max_field_bytes: maxFieldBytes } = context.policy.content;
  const event = classifyCodexCommonFields(
    record,
    context,
    "automated_review",
  ) as AutomatedReviewEvent;
  const reviewId = normaliseString(attributes["review.id"]);
  if (reviewId !== undefined) event.review_id = reviewId;
  const turnId = normaliseString(attributes["turn.id"]);
  if (turnId !== undefined) event.turn_id = turnId;
  const itemId = normaliseString(attributes["item.id"]);
  if (itemId !== undefined) event.item_id = itemId;
  const status = normaliseString(attributes["status"]);
  if (status !== undefined) event.status = status;
  const outcome = normaliseString(attributes["outcome"]);
  if (outcome !== undefined) event.outcome = outcome;
  const riskLevel = normaliseString(attributes["risk_level"]);
  if (riskLevel !== undefined) event.risk_level = riskLevel;
  const userAuthorization = normaliseString(attributes["user_authorization"]);
  if (userAuthorization !== undefined) event.user_authorization = userAuthorization;
  const startedAt = normaliseNumber(attributes["started_at_ms"]);
  if (startedAt !== undefined) event.started_at_ms = startedAt;
  const completedAt = normaliseNumber(attributes["completed_at_ms"]);
  if (completedAt !== undefined) event.completed_at_ms = completedAt;
  if (startedAt !== undefined && completedAt !== undefined) {
    event.duration_ms = completedAt - startedAt;
  }
  const rationale = normaliseString(attributes["rationale"], { allowEmpty: true });
  if (rationale !== undefined) {
    event.rationale = applyContentRule(rationale, rule, { maxFieldBytes });
  }
  const rationaleLength = normaliseCount(attributes["rationale_length"]);
  if (rationaleLength !== undefined) event.rationale_length = rationaleLength;
  const rationaleTruncated = normaliseBoolean(attributes["rationale_truncated"]);
  if (rationaleTruncated !== undefined) event.rationale_truncated = rationaleTruncated;
  return event;
}
