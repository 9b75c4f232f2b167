import type { ApprovalEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseString, toSnakeCase } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";

const APPROVED = /^approved/i;

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
  return decision !== null && APPROVED.test(decision.trim());
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
  const attributes = record.attributes;
  const decision = normaliseString(attributes["decision"]) ?? null;
  const source = normaliseString(attributes["source"]);
  const event = classifyCodexCommonFields(record, context, "approval") as ApprovalEvent;
  event.tool_name = normaliseString(attributes["tool_name"]) ?? null;
  const toolNamespace = normaliseString(attributes["tool_namespace"]);
  if (toolNamespace !== undefined) event.tool_namespace = toolNamespace;
  event.call_id = normaliseString(attributes["call_id"]) ?? null;
  event.decision = decision;
  if (source !== undefined) event.decided_by = toSnakeCase(source.trim());
  event.approved = isApprovedDecision(decision);
  return event;
}
