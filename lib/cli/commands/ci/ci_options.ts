/**
 * The flags `beacon ci start`, `finish` and `exec` share, and their parsing into options.
 *
 * @module
 */
import type { CommandArgs, CommandOption } from "../../command.ts";
import { UsageError } from "../../usage_error.ts";
import { closestMatch } from "../../../text/closest_match.ts";
import { formatCiRequirement, parseCiRequirement } from "../../../ci/parse_ci_requirement.ts";
import type { CiGates } from "../../../ci/decide_ci_gates.ts";
import type { StartCiRunOptions } from "../../../ci/start_ci_run.ts";
import { HARNESS_ADAPTERS } from "../../../harness/harness_adapters.ts";

/** The harnesses a CI run can prepare (those whose adapter has a run-scoped folder). */
const CI_HARNESS_NAMES = HARNESS_ADAPTERS.filter((adapter) => adapter.ciHome).map((adapter) =>
  adapter.name
);

/** Flags of `ci start` (and `ci exec`). */
export const CI_START_OPTIONS: Record<string, CommandOption> = {
  "base-dir": {
    type: "string",
    valueName: "DIR",
    description:
      "The run's folder (default: $RUNNER_TEMP/beacon/<unique>, else a new temp folder).",
  },
  policy: {
    type: "string",
    valueName: "PATH",
    description:
      "Policy file (default: $BEACON_POLICY, else .beacon/policy.toml in the repository, else built-in).",
  },
  harness: {
    type: "string",
    valueName: "NAME,...",
    multiple: true,
    description: `Prepare only these harnesses (${
      CI_HARNESS_NAMES.join(", ")
    }; default: every one the policy enables).`,
  },
  "inherit-config": {
    type: "string",
    valueName: "NAME,...",
    multiple: true,
    description: "Start these harnesses' run config from the runner's own file (read only), " +
      "not an empty one.",
  },
  "inherit-codex-config": {
    type: "boolean",
    description:
      "Same as --inherit-config codex ($CODEX_HOME/config.toml or ~/.codex/config.toml).",
  },
};

/** Flags of `ci finish` (and `ci exec`) that override the policy's `[ci]` gates. */
export const CI_GATE_OPTIONS: Record<string, CommandOption> = {
  "min-events": {
    type: "string",
    valueName: "N",
    description: "Fail unless the run recorded at least N events.",
  },
  require: {
    type: "string",
    valueName: "[HARNESS:]KIND,...",
    multiple: true,
    description: "Fail unless each event kind was recorded, by any harness (token_usage) or by " +
      "the one named (claude-code:token_usage).",
  },
  "require-telemetry": {
    type: "string",
    valueName: "true|false",
    description: "false: a failed gate is only a warning (exit 0). Default: the policy's, true.",
  },
};

/** The start options from parsed flags; an unknown harness is a {@link UsageError}. */
export function ciStartOptions(values: CommandArgs["values"], command: string): StartCiRunOptions {
  const inherit = harnessList(values["inherit-config"], "--inherit-config", command);
  if (values["inherit-codex-config"] === true && !inherit.includes("codex")) inherit.push("codex");
  return {
    baseDir: values["base-dir"] as string | undefined,
    policyPath: values.policy as string | undefined,
    harnesses: harnessList(values.harness, "--harness", command),
    inheritConfig: inherit,
  };
}

/** `a,b` given once or more -> `["a", "b"]`, each a harness a CI run can prepare. */
function harnessList(value: unknown, flag: string, command: string): string[] {
  const names = ((value as string[] | undefined) ?? []).flatMap((item) => item.split(","))
    .map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!CI_HARNESS_NAMES.includes(name as typeof CI_HARNESS_NAMES[number])) {
      const suggestion = closestMatch(name, [...CI_HARNESS_NAMES]);
      throw new UsageError(
        `${command}: ${flag}: unknown harness "${name}"` +
          (suggestion
            ? `; did you mean ${suggestion}?`
            : `; harnesses: ${CI_HARNESS_NAMES.join(", ")}`),
      );
    }
  }
  return [...new Set(names)];
}

/** The gate overrides from parsed flags; a bad value is a {@link UsageError}. */
export function ciGateOverrides(values: CommandArgs["values"], command: string): Partial<CiGates> {
  const gates: Partial<CiGates> = {};
  const minEvents = values["min-events"] as string | undefined;
  if (minEvents !== undefined) {
    if (!/^\d{1,9}$/.test(minEvents)) {
      throw new UsageError(`${command}: --min-events needs a whole number (got "${minEvents}")`);
    }
    gates.min_events = Number(minEvents);
  }
  const require = values.require as string[] | undefined;
  if (require !== undefined) {
    const kinds = require.flatMap((item) => item.split(",")).map((kind) => kind.trim())
      .filter(Boolean);
    gates.require = kinds.map((kind) => {
      const parsed = parseCiRequirement(kind);
      if (!parsed.ok) throw new UsageError(`${command}: --require: ${parsed.problem}`);
      return formatCiRequirement(parsed.requirement);
    });
  }
  const requireTelemetry = values["require-telemetry"] as string | undefined;
  if (requireTelemetry !== undefined) {
    if (requireTelemetry !== "true" && requireTelemetry !== "false") {
      throw new UsageError(
        `${command}: --require-telemetry takes true or false (got "${requireTelemetry}")`,
      );
    }
    gates.require_telemetry = requireTelemetry === "true";
  }
  return gates;
}
