import { BEACON_EVENT_KINDS, type BeaconEventKind } from "../events/beacon_event.ts";
import { HARNESS_NAMES, type HarnessName } from "../harness/harness_adapters.ts";
import { closestMatch } from "../text/closest_match.ts";

/** One `require` gate: an event kind, from one harness or (no `harness`) from any. */
export interface CiRequirement {
  kind: BeaconEventKind;
  harness?: HarnessName;
}

/** The result of {@link parseCiRequirement}: the requirement, or what is wrong with the text. */
export type ParsedCiRequirement =
  | { ok: true; requirement: CiRequirement }
  | { ok: false; problem: string };

/** Exactly the requirements {@link parseCiRequirement} accepts, written without spaces. */
export const CI_REQUIREMENT_PATTERN = new RegExp(
  `^(?:(?:${HARNESS_NAMES.map(escapeRegExp).join("|")}):)?(?:${
    BEACON_EVENT_KINDS.map(escapeRegExp).join("|")
  })$`,
);

/**
 * Parses one entry of `[ci] require` or `--require`: `token_usage` (from any harness) or
 * `claude-code:token_usage` (from that harness). A problem names the bad part, the closest
 * valid choice when there is one, and the valid choices.
 *
 * @example
 * ```ts
 * parseCiRequirement("claude-code:token_usage"); // { ok: true, requirement: { harness: "claude-code", kind: "token_usage" } }
 * parseCiRequirement("token_usage"); // { ok: true, requirement: { kind: "token_usage" } }
 * parseCiRequirement("codx:token_usage").ok; // false: unknown harness "codx" (did you mean codex?)
 * ```
 */
export function parseCiRequirement(text: string): ParsedCiRequirement {
  const colon = text.indexOf(":");
  const harness = colon === -1 ? undefined : text.slice(0, colon).trim();
  const kind = (colon === -1 ? text : text.slice(colon + 1)).trim();
  if (harness !== undefined && !(HARNESS_NAMES as readonly string[]).includes(harness)) {
    return {
      ok: false,
      problem: `unknown harness "${harness}" in "${text}"${suggest(harness, HARNESS_NAMES)}; ` +
        `write KIND or HARNESS:KIND, harnesses: ${HARNESS_NAMES.join(", ")}`,
    };
  }
  if (!(BEACON_EVENT_KINDS as readonly string[]).includes(kind)) {
    return {
      ok: false,
      problem: `unknown event kind "${kind}" in "${text}"${suggest(kind, BEACON_EVENT_KINDS)}; ` +
        `write KIND or HARNESS:KIND, kinds: ${BEACON_EVENT_KINDS.join(", ")}`,
    };
  }
  return {
    ok: true,
    requirement: harness === undefined
      ? { kind: kind as BeaconEventKind }
      : { harness: harness as HarnessName, kind: kind as BeaconEventKind },
  };
}

/** A requirement as written: `token_usage` or `claude-code:token_usage`. */
export function formatCiRequirement(requirement: CiRequirement): string {
  return requirement.harness ? `${requirement.harness}:${requirement.kind}` : requirement.kind;
}

function suggest(word: string, choices: readonly string[]): string {
  const match = closestMatch(word, [...choices]);
  return match ? ` (did you mean ${match}?)` : "";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
