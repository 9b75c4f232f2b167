/**
 * Classifies one Codex log record into a Beacon event, applying the policy's content rules, or
 * drops it. {@link CODEX_LOG_EVENTS} is the one place that decides what is kept.
 *
 * @module
 */
import { codexEventName } from "./codex_event_name.ts";
import type { BeaconEvent, BeaconEventKind } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexAgentResponse } from "./classify_codex_agent_response.ts";
import { classifyCodexGuardianAssessment } from "./classify_codex_guardian_assessment.ts";
import { classifyCodexSessionStart } from "./classify_codex_session_start.ts";
import { classifyCodexSseEvent } from "./classify_codex_sse_event.ts";
import { classifyCodexToolDecision } from "./classify_codex_tool_decision.ts";
import { classifyCodexToolResult } from "./classify_codex_tool_result.ts";
import { classifyCodexUserPrompt } from "./classify_codex_user_prompt.ts";

/** A Codex log event Beacon records, and how. */
export interface CodexKeptLogEvent {
  action: "keep";
  /** The kinds it can become. */
  kinds: readonly BeaconEventKind[];
  /** When only some of its records are kept. */
  only?: string;
  classify(record: FlatLogRecord, context: ClassifyContext): BeaconEvent | undefined;
}

/** A Codex log event Beacon drops, and why. */
export interface CodexDroppedLogEvent {
  action: "drop";
  reason: string;
}

/** What Beacon does with one Codex log event name. */
export type CodexLogEventRule = CodexKeptLogEvent | CodexDroppedLogEvent;

/**
 * The keep/drop table of Codex 0.169's log events, by `event.name`. Records with no
 * `event.name` (Codex's "flushing OTEL metrics" debug line) and names missing from this table
 * are dropped too: Beacon only writes what it understands, so a new Codex event cannot leak
 * content unreviewed. `docs/events.md` shows the same table.
 */
export const CODEX_LOG_EVENTS: Readonly<Record<string, CodexLogEventRule>> = {
  "codex.conversation_starts": {
    action: "keep",
    kinds: ["session_start"],
    classify: classifyCodexSessionStart,
  },
  "codex.user_prompt": { action: "keep", kinds: ["prompt"], classify: classifyCodexUserPrompt },
  "codex.tool_decision": {
    action: "keep",
    kinds: ["approval"],
    classify: classifyCodexToolDecision,
  },
  "codex.tool_result": {
    action: "keep",
    kinds: ["command_run", "file_change", "mcp_tool_call", "tool_result"],
    classify: classifyCodexToolResult,
  },
  "codex.agent_response": {
    action: "keep",
    kinds: ["agent_response"],
    classify: classifyCodexAgentResponse,
  },
  "codex.guardian_assessment": {
    action: "keep",
    kinds: ["automated_review"],
    classify: classifyCodexGuardianAssessment,
  },
  "codex.sse_event": {
    action: "keep",
    kinds: ["token_usage"],
    only: "event.kind = response.completed with token counts; every other streamed model " +
      "event (deltas, output items, the count-less response.completed twin) is dropped",
    classify: classifyCodexSseEvent,
  },
  "codex.api_request": {
    action: "drop",
    reason: "operational: status, latency and auth flags of each model request",
  },
  "codex.turn_ttft": { action: "drop", reason: "operational: time to first token of a turn" },
  "codex.startup_phase": { action: "drop", reason: "operational: startup phase timings" },
};

/**
 * Classifies one flattened Codex log record into a Beacon event with the policy's content rules
 * applied, or returns undefined when the record is dropped (see {@link CODEX_LOG_EVENTS}).
 * Pure: the same record, policy and `receivedAt` always give the same event.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.tool_decision", decision: "approved", source: "Config",
 *     "event.timestamp": "2026-11-25T11:42:42.500Z", "conversation.id": "s1" },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexLogRecord(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event?.kind; // "approval"
 * event?.time; // "2026-11-25T11:42:42.500Z"
 * ```
 */
export function classifyCodexLogRecord(
  record: FlatLogRecord,
  context: ClassifyContext,
): BeaconEvent | undefined {
  const name = codexEventName(record);
  if (name === undefined || !Object.hasOwn(CODEX_LOG_EVENTS, name)) return undefined;
  const rule = CODEX_LOG_EVENTS[name];
  return rule.action === "keep" ? rule.classify(record, context) : undefined;
}
