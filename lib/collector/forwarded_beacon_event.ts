import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { BEACON_EVENT_KINDS, type BeaconEvent } from "../events/beacon_event.ts";
import { restrictEventContent } from "../forward/restrict_event_content.ts";

/** The `service.name` of the records another Beacon forwards (see lib/forward/). */
export const BEACON_FORWARDER_SERVICE = "beacon";

const KINDS = new Set<string>(BEACON_EVENT_KINDS);

/**
 * The Beacon event a record forwarded by another Beacon carries (its body is the event's JSON,
 * as the forwarder writes it), with this collector's own content rules applied on top: a field
 * can only become stricter than the sender kept it, never looser. So a Beacon collector is a
 * gateway's peer: events arrive with their ids, de-duplicable. `undefined` (dropped) for a body
 * that is not a version-1 Beacon event.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";
 * const body = JSON.stringify({ schema_version: 1, id: "a1", kind: "prompt", harness: "codex",
 *   prompt: { mode: "keep", bytes: 2, text: "hi" } });
 * forwardedBeaconEvent({ body } as unknown as FlatLogRecord, v.parse(PolicySchema, {}));
 * // { schema_version: 1, id: "a1", kind: "prompt", harness: "codex", prompt: { mode: "drop", bytes: 2 } }
 * ```
 */
export function forwardedBeaconEvent(
  record: FlatLogRecord,
  policy: Policy,
): BeaconEvent | undefined {
  if (typeof record.body !== "string") return undefined;
  let event: unknown;
  try {
    event = JSON.parse(record.body);
  } catch {
    return undefined;
  }
  if (
    typeof event !== "object" || event === null || Array.isArray(event) ||
    (event as { schema_version?: unknown }).schema_version !== 1 ||
    typeof (event as { id?: unknown }).id !== "string" ||
    !KINDS.has((event as { kind?: unknown }).kind as string)
  ) {
    return undefined;
  }
  const { prompt, tool_arguments, tool_output, agent_response, identity } = policy.content;
  return restrictEventContent(event as Record<string, unknown>, {
    prompt,
    tool_arguments,
    tool_output,
    agent_response,
    identity,
  }) as unknown as BeaconEvent;
}
