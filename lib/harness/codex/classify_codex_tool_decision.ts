import type { ApprovalEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseString, toSnakeCase } from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";

/**
 * Whether a Codex review decision lets the call run: `approved`, `approved_for_session`,
 * `approved_execpolicy_amendment` and any other `approved*` do; `denied`, `abort`, `timed_out`
 * and anything unknown do not.
 *
 * @example
 * ```ts
 * isApprovedDecision("approved_for_session"); // true
 * isApprovedDecision("abort"); // false
 * ```
 */
export function isApprovedDecision(decision: string | null): boolean {
  return decision !== null && /^approved/i.test(decision.trim());
}

/**
 * An `approval` event from a `codex.tool_decision` record. `decision` is kept exactly as sent;
 * `decided_by` is Codex's `source` in snake_case (`Config` -> `config`, `AutomatedReviewer` ->
 * `automated_reviewer`); `approved` is {@link isApprovedDecision}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.tool_decision", decision: "denied", source: "AutomatedReviewer" },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexToolDecision(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * [event.decision, event.decided_by, event.approved]; // ["denied", "automated_reviewer", false]
 * ```
 */
export function classifyCodexToolDecision(
  record: FlatLogRecord,
  context: ClassifyContext,
): ApprovalEvent {
  const text = (name: string) => normaliseString(record.attributes[name]);
  const decision = text("decision") ?? null;
  const source = text("source");
  return omitUndefined<ApprovalEvent>({
    ...classifyCodexCommonFields(record, context, "approval"),
    tool_name: text("tool_name") ?? null,
    tool_namespace: text("tool_namespace"),
    call_id: text("call_id") ?? null,
    decision,
    decided_by: source === undefined ? undefined : toSnakeCase(source.trim()),
    approved: isApprovedDecision(decision),
  });
}
