import { applyIdentityRule } from "../../content/hash_identity.ts";
import type {
  BeaconEventBase,
  BeaconEventKind,
  BeaconEventUser,
} from "../../events/beacon_event.ts";
import { beaconEventId } from "../../events/beacon_event_id.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { eventTime } from "../../events/event_time.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
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
  const text = (name: string) => normaliseString(attributes[name]);
  const sourceEvent = text("event.name")?.trim() ?? "";
  const sessionId = text("conversation.id") ?? null;
  const timestamp = normaliseString(attributes["event.timestamp"]);
  const id = beaconEventId([
    "codex",
    sourceEvent,
    sessionId,
    record.observedTimeUnixNano,
    record.timeUnixNano,
    timestamp,
    ...CODEX_ID_ATTRIBUTES.map((name) => text(name)),
  ]);
  return omitUndefined<BeaconEventBase<K>>({
    schema_version: 1,
    id,
    time: eventTime({
      timestamp,
      observedTimeUnixNano: record.observedTimeUnixNano,
      timeUnixNano: record.timeUnixNano,
      receivedAt: context.receivedAt,
    }),
    harness: "codex",
    harness_version: text("app.version") ?? normaliseString(record.resource["service.version"]) ??
      null,
    kind,
    session_id: sessionId,
    source_event: sourceEvent,
    model: text("model"),
    model_slug: text("slug"),
    originator: text("originator"),
    terminal: text("terminal.type"),
    environment: normaliseString(record.resource["env"]),
    user: codexUser(record, context),
    auth_mode: text("auth_mode"),
    trace_id: record.traceId || undefined,
    span_id: record.spanId || undefined,
  });
}

function codexUser(record: FlatLogRecord, context: ClassifyContext): BeaconEventUser | undefined {
  const { identity, max_field_bytes: maxFieldBytes } = context.policy.content;
  const email = normaliseString(record.attributes["user.email"]);
  const accountId = normaliseString(record.attributes["user.account_id"]);
  if (email === undefined && accountId === undefined) return undefined;
  return omitUndefined({
    email: email === undefined ? undefined : applyIdentityRule(email, identity, maxFieldBytes),
    account_id: accountId === undefined
      ? undefined
      : applyIdentityRule(accountId, identity, maxFieldBytes),
  });
}
