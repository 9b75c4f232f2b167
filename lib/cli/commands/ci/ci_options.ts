/**
 * The flags `beacon ci start`, `finish` and `exec` share, and their parsing into options.
 *
 * @module
 */
import type { CommandArgs, CommandOption } from "../../command.ts";
import { UsageError } from "../../usage_error.ts";
import { closestMatch } from "../../../text/closest_match.ts";
import { BEACON_EVENT_KINDS } from "../../../events/beacon_event.ts";
import type { CiGates } from "../../../ci/decide_ci_gates.ts";
import type { StartCiRunOptions } from "../../../ci/start_ci_run.ts";

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
  "inherit-codex-config": {
    type: "boolean",
    description: "Start from $CODEX_HOME/config.toml (or ~/.codex/config.toml), not an empty file.",
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
    valueName: "KIND,...",
    multiple: true,
    description: "Fail unless each event kind was recorded (e.g. session_start,token_usage).",
  },
  "require-telemetry": {
    type: "string",
    valueName: "true|false",
    description: "false: a failed gate is only a warning (exit 0). Default: the policy's, true.",
  },
};

/** The start options from parsed flags. */
export function ciStartOptions(values: CommandArgs["values"]): StartCiRunOptions {
  return {
    baseDir: values["base-dir"] as string | undefined,
    policyPath: values.policy as string | undefined,
    inheritCodexConfig: values["inherit-codex-config"] === true,
  };
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
    for (const kind of kinds) {
      if (!(BEACON_EVENT_KINDS as readonly string[]).includes(kind)) {
        const suggestion = closestMatch(kind, [...BEACON_EVENT_KINDS]);
        throw new UsageError(
          `${command}: --require: unknown event kind "${kind}"` +
            (suggestion
              ? `; did you mean ${suggestion}?`
              : `; kinds: ${BEACON_EVENT_KINDS.join(", ")}`),
        );
      }
    }
    gates.require = kinds;
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
