import { codexEventName } from "./codex_event_name.ts";
import { eventUser } from "../../events/event_user.ts";
import type {
  BeaconEventBase,
  BeaconEventKind,
  BeaconEventUser,
} from "../../events/beacon_event.ts";
import { beaconEventId, type EventIdPart } from "../../events/beacon_event_id.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { eventTime } from "../../events/event_time.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";

/**
 * The attributes, besides the session and the timestamps, that tell two Codex records apart
 * without being content: they go into the event id.
 */
const CODEX_ID_ATTRIBUTES = [
  "call_id",
  "tool_result_seq",
  "turn.id",
  "item.id",
  "review.id",
  "event.kind",
] as const;

/**
 * The fields every Beacon event built from a Codex log record has (see `BeaconEventBase`):
 *
 * - `id`: {@link beaconEventId} of `codex`, the `event.name`, `conversation.id`, the record's
 *   `observedTimeUnixNano` and `timeUnixNano`, the `event.timestamp` attribute, and the
 *   attributes `call_id`, `tool_result_seq`, `turn.id`, `item.id`, `review.id`, `event.kind`
 *   (null where absent). No content goes in.
 * - `time`: `event.timestamp`, else `observedTimeUnixNano`, else `timeUnixNano`, else
 *   `context.receivedAt`.
 * - `harness_version`: `app.version`, else the resource's `service.version`.
 * - `user`: `user.email` and `user.account_id` after the policy's `identity` rule.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.user_prompt", "conversation.id": "s1", "app.version": "0.169.0" },
 *   resource: { env: "dev" }, observedTimeUnixNano: 0n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const fields = classifyCodexCommonFields(record, {
 *   policy: v.parse(PolicySchema, {}),
 *   receivedAt: new Date("2026-01-01T00:00:00Z"),
 * }, "prompt");
 * fields.time; // "2026-01-01T00:00:00.000Z"
 * fields.environment; // "dev"
 * ```
 */
export function classifyCodexCommonFields<K extends BeaconEventKind>(
  record: FlatLogRecord,
  context: ClassifyContext,
  kind: K,
): BeaconEventBase<K> {
  const attributes = record.attributes;
  const sourceEvent = codexEventName(record) ?? "";
  const sessionId = normaliseString(attributes["conversation.id"]) ?? null;
  const timestamp = normaliseString(attributes["event.timestamp"]);
  const observedTimeUnixNano = record.observedTimeUnixNano;
  const timeUnixNano = record.timeUnixNano;
  const idParts: EventIdPart[] = [
    "codex",
    sourceEvent,
    sessionId,
    observedTimeUnixNano,
    timeUnixNano,
    timestamp,
  ];
  for (const name of CODEX_ID_ATTRIBUTES) idParts.push(normaliseString(attributes[name]));
  const id = beaconEventId(idParts);
  // Built field by field, optional ones only when present, in the order of BeaconEventBase.
  const fields: BeaconEventBase<K> = {
    schema_version: 1,
    id,
    time: eventTime({
      timestamp,
      observedTimeUnixNano,
      timeUnixNano,
      receivedAt: context.receivedAt,
    }),
    harness: "codex",
    harness_version: normaliseString(attributes["app.version"]) ??
      normaliseString(record.resource["service.version"]) ?? null,
    kind,
    session_id: sessionId,
    source_event: sourceEvent,
  };
  const model = normaliseString(attributes["model"]);
  if (model !== undefined) fields.model = model;
  const modelSlug = normaliseString(attributes["slug"]);
  if (modelSlug !== undefined) fields.model_slug = modelSlug;
  const originator = normaliseString(attributes["originator"]);
  if (originator !== undefined) fields.originator = originator;
  const terminal = normaliseString(attributes["terminal.type"]);
  if (terminal !== undefined) fields.terminal = terminal;
  const environment = normaliseString(record.resource["env"]);
  if (environment !== undefined) fields.environment = environment;
  const user = codexUser(record, context);
  if (user !== undefined) fields.user = user;
  const authMode = normaliseString(attributes["auth_mode"]);
  if (authMode !== undefined) fields.auth_mode = authMode;
  if (record.traceId) fields.trace_id = record.traceId;
  if (record.spanId) fields.span_id = record.spanId;
  return fields;
}

function codexUser(record: FlatLogRecord, context: ClassifyContext): BeaconEventUser | undefined {
  return eventUser(
    normaliseString(record.attributes["user.email"]),
    normaliseString(record.attributes["user.account_id"]),
    context,
  );
}
