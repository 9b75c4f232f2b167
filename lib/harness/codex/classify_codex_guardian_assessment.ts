import { applyContentRule } from "../../content/apply_content_rule.ts";
import type { AutomatedReviewEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
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
  const text = (name: string) => normaliseString(attributes[name]);
  const { agent_response: rule, max_field_bytes: maxFieldBytes } = context.policy.content;
  const rationale = normaliseString(attributes["rationale"], { allowEmpty: true });
  const startedAt = normaliseNumber(attributes["started_at_ms"]);
  const completedAt = normaliseNumber(attributes["completed_at_ms"]);
  return omitUndefined<AutomatedReviewEvent>({
    ...classifyCodexCommonFields(record, context, "automated_review"),
    review_id: text("review.id"),
    turn_id: text("turn.id"),
    item_id: text("item.id"),
    status: text("status"),
    outcome: text("outcome"),
    risk_level: text("risk_level"),
    user_authorization: text("user_authorization"),
    started_at_ms: startedAt,
    completed_at_ms: completedAt,
    duration_ms: startedAt !== undefined && completedAt !== undefined
      ? completedAt - startedAt
      : undefined,
    rationale: rationale === undefined
      ? undefined
      : applyContentRule(rationale, rule, { maxFieldBytes }),
    rationale_length: normaliseCount(attributes["rationale_length"]),
    rationale_truncated: normaliseBoolean(attributes["rationale_truncated"]),
  });
}
