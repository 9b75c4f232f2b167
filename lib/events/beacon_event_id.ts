import { hashContent } from "../content/hash_content.ts";

/** A value that identifies a record: metadata only, never content. */
export type EventIdPart = string | number | bigint | boolean | null | undefined;

/**
 * A Beacon event id: the first 32 hex characters (128 bits) of the SHA-256 of `parts`, encoded
 * as a JSON array (bigints as decimal strings, `undefined` as null) after a version tag, so that
 * no two different lists of parts share an encoding.
 *
 * Callers pass the record's identifying **metadata only** (harness, source event name, session
 * id, the source's timestamps, call id, sequence numbers, ...): an id computed from content would
 * let anyone holding a guess of a dropped prompt confirm it. A record the harness sends again
 * unchanged has the same parts, so it gets the same id and a reader can de-duplicate.
 *
 * @example
 * ```ts
 * const id = beaconEventId(["codex", "codex.user_prompt", "0199-session", 1795606962500140384n]);
 * id.length; // 32
 * id === beaconEventId(["codex", "codex.user_prompt", "0199-session", 1795606962500140384n]); // true
 * ```
 */
export function beaconEventId(parts: readonly EventIdPart[]): string {
  const values = new Array<string | number | boolean | null>(parts.length + 1);
  values[0] = "beacon-event-id/1";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    values[i + 1] = typeof part === "bigint" ? part.toString() : part ?? null;
  }
  return hashContent(JSON.stringify(values)).slice(0, 32);
}
