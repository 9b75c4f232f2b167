import type { ApprovalEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseString, toSnakeCase } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyClaudeCodeCommonFields } from "./classify_claude_code_common_fields.ts";

/**
 * An `approval` event from a `claude_code.tool_decision` record: `tool_name`, the call's
 * `tool_use_id` as `call_id`, the `decision` as sent (`accept`, `reject`), who decided
 * (`source`: `config`, `user`, ...) and `approved`, true only for `accept`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.tool_decision",
 *   attributes: { decision: "reject", source: "config", tool_name: "Bash", tool_use_id: "toolu_1" },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * classifyClaudeCodeToolDecision(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() }).approved;
 * // false
 * ```
 */
export function classifyClaudeCodeToolDecision(
  record: FlatLogRecord,
  context: ClassifyContext,
): ApprovalEvent {
  const attributes = record.attributes;
  const decision = normaliseString(attributes["decision"]) ?? null;
  const source = normaliseString(attributes["source"]);
  const event = classifyClaudeCodeCommonFields(record, context, "approval") as ApprovalEvent;
  event.tool_name = normaliseString(attributes["tool_name"])?.trim() ?? null;
  event.call_id = normaliseString(attributes["tool_use_id"]) ?? null;
  event.decision = decision;
  if (source !== undefined) event.decided_by = toSnakeCase(source.trim());
  event.approved = decision !== null && /^accept/i.test(decision.trim());
  return event;
}
