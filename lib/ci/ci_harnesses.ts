import type { CiHome, HarnessAdapter } from "../harness/harness_adapter.ts";
import { HARNESS_ADAPTERS, HARNESS_NAMES } from "../harness/harness_adapters.ts";
import type { Policy } from "../policy/policy_schema.ts";

/** A harness a CI run prepares: its adapter and how the run points it at its own folder. */
export interface CiHarness {
  adapter: HarnessAdapter;
  home: CiHome;
}

/** `ci start --harness` named something the run cannot prepare. */
export class CiHarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Error";
  }
}

/**
 * The harnesses a CI run prepares, in registry order: every harness whose adapter can be given a
 * run-scoped config folder (`ciHome`) and that the policy enables, or, when `chosen` names some
 * (`--harness`), exactly those. Naming a harness the policy disables, or an unknown one, is an
 * error that says which policy and what to do; so is a run with nothing to prepare.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * const policy = v.parse(PolicySchema, { harnesses: { codex: { enabled: false } } });
 * ciHarnesses(policy, "p.toml").map((h) => h.adapter.name); // ["claude-code"]
 * ```
 */
export function ciHarnesses(
  policy: Policy,
  policySource: string,
  chosen?: readonly string[],
  adapters: readonly HarnessAdapter[] = HARNESS_ADAPTERS,
): CiHarness[] {
  const enabled = (adapter: HarnessAdapter) =>
    (policy.harnesses as Record<string, { enabled: boolean } | undefined>)[adapter.name]
      ?.enabled === true;
  if (chosen?.length) {
    for (const name of chosen) {
      const adapter = adapters.find((candidate) => candidate.name === name);
      if (!adapter?.ciHome) {
        throw new CiHarnessError(
          `Cannot start the CI run: --harness ${name} is not a harness a CI run can prepare ` +
            `(${adapters.filter((a) => a.ciHome).map((a) => a.name).join(", ")}).`,
        );
      }
      if (!enabled(adapter)) {
        throw new CiHarnessError(
          `Cannot start the CI run for ${name}: the policy (${policySource}) disables it ` +
            `([harnesses.${name}] enabled = false). Enable it there, or choose another --harness.`,
        );
      }
    }
  }
  const harnesses = adapters.flatMap((adapter) =>
    adapter.ciHome && enabled(adapter) && (!chosen?.length || chosen.includes(adapter.name))
      ? [{ adapter, home: adapter.ciHome }]
      : []
  );
  if (!harnesses.length) {
    throw new CiHarnessError(
      `Cannot start the CI run: the policy (${policySource}) enables none of ` +
        `${HARNESS_NAMES.join(", ")}, so there is nothing to record. Enable one in its ` +
        "[harnesses.<name>] table.",
    );
  }
  return harnesses;
}
