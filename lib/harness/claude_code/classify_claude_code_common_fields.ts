import { eventUser } from "../../events/event_user.ts";
import type {
  BeaconEventBase,
  BeaconEventKind,
  BeaconEventUser,
  BeaconHarness,
} from "../../events/beacon_event.ts";
import { beaconEventId, type EventIdPart } from "../../events/beacon_event_id.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { eventTime } from "../../events/event_time.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { claudeCodeEventName } from "./claude_code_event_name.ts";

/** The harness name Claude Code's events carry (the policy's `[harnesses.claude-code]`). */
export const CLAUDE_CODE_HARNESS = "claude-code" as BeaconHarness;

/** Attributes that tell two records apart without being content: they go into the event id. */
const CLAUDE_CODE_ID_ATTRIBUTES = [
  "event.sequence",
  "prompt.id",
  "tool_use_id",
  "request_id",
  "message.uuid",
  "attempt",
] as const;

/**
 * The fields every Beacon event built from a Claude Code log record has (see
 * `BeaconEventBase`):
 *
 * - `id`: {@link beaconEventId} of `claude-code`, the event name, `session.id`, the record's
 *   times, `event.timestamp`, and `event.sequence`, `prompt.id`, `tool_use_id`, `request_id`,
 *   `message.uuid`, `attempt` (null where absent). No content goes in.
 * - `time`: `event.timestamp`, else the record's times, else `context.receivedAt`.
 * - `harness_version`: the resource's `service.version`.
 * - `session_id`: `session.id`; `model`, `terminal` (`terminal.type`) when sent.
 * - `user`: `user.email` and `user.account_uuid` (sent with a Claude login) after the policy's
 *   `identity` rule. `user.id`, a random per-install id, is not an identity and is left out.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.user_prompt",
 *   attributes: { "session.id": "s1", "event.timestamp": "2026-12-06T15:41:18.253Z" },
 *   resource: { "service.version": "2.1.328" }, observedTimeUnixNano: 0n, timeUnixNano: 0n,
 *   traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * const fields = classifyClaudeCodeCommonFields(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() }, "prompt");
 * fields.harness; // "claude-code"
 * fields.session_id; // "s1"
 * ```
 */
export function classifyClaudeCodeCommonFields<K extends BeaconEventKind>(
  record: FlatLogRecord,
  context: ClassifyContext,
  kind: K,
): BeaconEventBase<K> {
  const attributes = record.attributes;
  const sourceEvent = claudeCodeEventName(record) ?? "";
  const sessionId = normaliseString(attributes["session.id"]) ?? null;
  const timestamp = normaliseString(attributes["event.timestamp"]);
  const idParts: EventIdPart[] = [
    "claude-code",
    sourceEvent,
    sessionId,
    record.observedTimeUnixNano,
    record.timeUnixNano,
    timestamp,
  ];
  for (const name of CLAUDE_CODE_ID_ATTRIBUTES) idParts.push(normaliseString(attributes[name]));
  const fields: BeaconEventBase<K> = {
    schema_version: 1,
    id: beaconEventId(idParts),
    time: eventTime({
      timestamp,
      observedTimeUnixNano: record.observedTimeUnixNano,
      timeUnixNano: record.timeUnixNano,
      receivedAt: context.receivedAt,
    }),
    harness: CLAUDE_CODE_HARNESS,
    harness_version: normaliseString(record.resource["service.version"]) ?? null,
    kind,
    session_id: sessionId,
    source_event: sourceEvent,
  };
  const model = normaliseString(attributes["model"]);
  if (model !== undefined) fields.model = model;
  const terminal = normaliseString(attributes["terminal.type"]);
  if (terminal !== undefined) fields.terminal = terminal;
  const user = claudeCodeUser(record, context);
  if (user !== undefined) fields.user = user;
  if (record.traceId) fields.trace_id = record.traceId;
  if (record.spanId) fields.span_id = record.spanId;
  return fields;
}

function claudeCodeUser(
  record: FlatLogRecord,
  context: ClassifyContext,
): BeaconEventUser | undefined {
  return eventUser(
    normaliseString(record.attributes["user.email"]),
    normaliseString(record.attributes["user.account_uuid"]),
    context,
  );
}
