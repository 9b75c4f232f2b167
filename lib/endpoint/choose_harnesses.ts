/**
 * Which harnesses `endpoint install|repair` manages: the ones asked for, else the last
 * install's (repair), else every managed harness found on the machine.
 *
 * @module
 */
import { closestMatch } from "../text/closest_match.ts";
import { HARNESS_ADAPTERS, HARNESS_NAMES } from "../harness/harness_adapters.ts";
import { DISCOVERED_HARNESS_NAMES, type HarnessDiscovery } from "./probe/discover_harnesses.ts";

/** A harness name that was asked for and cannot be managed: unknown, or not managed yet. */
export class HarnessChoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HarnessChoiceError";
  }
}

/** The harnesses chosen, and notes for people (found but unmanaged, none found). */
export interface HarnessChoice {
  names: string[];
  notes: string[];
}

const MANAGED: readonly string[] = HARNESS_NAMES;
const KNOWN: readonly string[] = [...new Set([...HARNESS_NAMES, ...DISCOVERED_HARNESS_NAMES])];

/**
 * Chooses the harnesses to manage: `asked` (each must be a harness Beacon manages), else
 * `previous` (repair keeps the last install's), else every managed harness `discovery` found.
 * Pure: reads nothing.
 *
 * @throws HarnessChoiceError when a name asked for is unknown (with the closest known name) or
 * not managed by Beacon yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseHarnesses } from "./choose_harnesses.ts";
 * assert.deepEqual(chooseHarnesses(["codex"], [], undefined), { names: ["codex"], notes: [] });
 * ```
 */
export function chooseHarnesses(
  asked: readonly string[] | undefined,
  discovery: readonly HarnessDiscovery[],
  previous: readonly string[] | undefined,
): HarnessChoice {
  if (asked?.length) {
    for (const name of asked) {
      if (!KNOWN.includes(name)) {
        const suggestion = closestMatch(name, KNOWN);
        throw new HarnessChoiceError(
          `unknown harness "${name}"` +
            (suggestion ? `; did you mean "${suggestion}"?` : `; known: ${KNOWN.join(", ")}`),
        );
      }
      if (!MANAGED.includes(name)) {
        throw new HarnessChoiceError(
          `Beacon does not manage ${name} yet; it manages: ${MANAGED.join(", ")}`,
        );
      }
    }
    return { names: [...new Set(asked)], notes: [] };
  }
  if (previous) return { names: [...previous], notes: [] };
  const found = discovery.filter((item) => item.managed && item.detected).map((item) => item.name);
  const notes = discovery.filter((item) => !item.managed && item.detected).map((item) =>
    `${item.displayName} was found but is not managed by Beacon yet.`
  );
  if (!found.length) {
    notes.push(
      `No supported harness was found (${
        HARNESS_ADAPTERS.map((adapter) => adapter.displayName).join(", ")
      }: none on PATH or configured here). The collector is installed anyway; run ` +
        "`beacon endpoint install --harness NAME` once one is there.",
    );
  }
  return { names: found, notes };
}
