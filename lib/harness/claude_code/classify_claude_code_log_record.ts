/**
 * Classifies one Claude Code log record into a Beacon event, applying the policy's content
 * rules, or drops it. {@link CLAUDE_CODE_LOG_EVENTS} is the one place that decides what is kept.
 *
 * @module
 */
import type { BeaconEvent, BeaconEventKind } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { claudeCodeEventName } from "./claude_code_event_name.ts";
import { classifyClaudeCodeApiError } from "./classify_claude_code_api_error.ts";
import { classifyClaudeCodeApiRequest } from "./classify_claude_code_api_request.ts";
import { classifyClaudeCodeAssistantResponse } from "./classify_claude_code_assistant_response.ts";
import { classifyClaudeCodeToolDecision } from "./classify_claude_code_tool_decision.ts";
import { classifyClaudeCodeToolResult } from "./classify_claude_code_tool_result.ts";
import { classifyClaudeCodeUserPrompt } from "./classify_claude_code_user_prompt.ts";

/** What Beacon does with one Claude Code log event name. */
export type ClaudeCodeLogEventRule =
  | {
    action: "keep";
    kinds: readonly BeaconEventKind[];
    classify(record: FlatLogRecord, context: ClassifyContext): BeaconEvent | undefined;
  }
  | { action: "drop"; reason: string };

/**
 * The keep/drop table of Claude Code 2.1's log events, by name (the record's body). Names
 * missing from it are dropped too: Beacon only writes what it understands, so a new Claude Code
 * event cannot leak content unreviewed. `docs/events.md` shows the same table.
 */
export const CLAUDE_CODE_LOG_EVENTS: Readonly<Record<string, ClaudeCodeLogEventRule>> = {
  "claude_code.user_prompt": {
    action: "keep",
    kinds: ["prompt"],
    classify: classifyClaudeCodeUserPrompt,
  },
  "claude_code.tool_decision": {
    action: "keep",
    kinds: ["approval"],
    classify: classifyClaudeCodeToolDecision,
  },
  "claude_code.tool_result": {
    action: "keep",
    kinds: ["command_run", "file_change", "mcp_tool_call", "tool_result"],
    classify: classifyClaudeCodeToolResult,
  },
  "claude_code.assistant_response": {
    action: "keep",
    kinds: ["agent_response"],
    classify: classifyClaudeCodeAssistantResponse,
  },
  "claude_code.api_request": {
    action: "keep",
    kinds: ["token_usage"],
    classify: classifyClaudeCodeApiRequest,
  },
  "claude_code.api_error": {
    action: "keep",
    kinds: ["api_error"],
    classify: classifyClaudeCodeApiError,
  },
  "claude_code.internal_error": {
    action: "drop",
    reason: "operational: a minified class name, unstable between releases",
  },
  "claude_code.api_request_body": {
    action: "drop",
    reason: "the whole API request (every prompt and file read); Beacon never asks for it",
  },
  "claude_code.api_response_body": {
    action: "drop",
    reason: "the whole API response; Beacon never asks for it",
  },
  "claude_code.managed_settings_resolved": {
    action: "drop",
    reason: "operational: which managed settings layers applied at startup",
  },
  "claude_code.plugin_loaded": {
    action: "drop",
    reason: "operational: one record per plugin loaded at startup",
  },
};

/**
 * Classifies one flattened Claude Code log record into a Beacon event with the policy's content
 * rules applied, or returns undefined when the record is dropped (see
 * {@link CLAUDE_CODE_LOG_EVENTS}). Pure.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.plugin_loaded", attributes: {}, resource: {},
 *   observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * classifyClaudeCodeLogRecord(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * // undefined
 * ```
 */
export function classifyClaudeCodeLogRecord(
  record: FlatLogRecord,
  context: ClassifyContext,
): BeaconEvent | undefined {
  const name = claudeCodeEventName(record);
  if (name === undefined || !Object.hasOwn(CLAUDE_CODE_LOG_EVENTS, name)) return undefined;
  const rule = CLAUDE_CODE_LOG_EVENTS[name];
  return rule.action === "keep" ? rule.classify(record, context) : undefined;
}
