import type { Change, Conflict, Plan, PlanStep, PlanWarning } from "../reconcile/plan.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../toml/toml_value.ts";

/** One step of a plan as printed: where, what changes, what is left alone; no file text. */
export interface PrintableStep {
  kind: string;
  harness: string;
  path: string;
  realPath: string;
  fingerprint: string | null;
  createMode: number;
  changes: Change[];
  conflicts: Conflict[];
}

/** A plan as printed (`--json`): {@link printablePlan}. */
export interface PrintablePlan {
  formatVersion: 1;
  policySource: string;
  createdAt: string;
  steps: PrintableStep[];
  warnings: PlanWarning[];
}

/**
 * The part of a plan that may be printed, with secret values masked. Fields are copied by name,
 * never by spreading the step: a step also holds the raw edits, the owned values, the user's
 * original values and the file's original text, all of which can hold a token, and a field added
 * to the plan later stays out of what is printed until someone decides it may be shown.
 *
 * @example
 * ```ts
 * import { printablePlan } from "./printable_plan.ts";
 *
 * const shown = printablePlan(plan);
 * // shown.steps[0]: { kind, harness, path, realPath, fingerprint, createMode, changes,
 * //   conflicts }, with `"authorization": "Bearer ****"` where the plan holds the token
 * ```
 */
export function printablePlan(plan: Plan): PrintablePlan {
  return {
    formatVersion: plan.formatVersion,
    policySource: plan.policySource,
    createdAt: plan.createdAt,
    steps: plan.steps.map(printableStep),
    warnings: plan.warnings.map((warning) => ({
      target: warning.target,
      message: warning.message,
    })),
  };
}

/** One harness step of a plan as printed: see {@link printablePlan}. */
export function printableStep(step: PlanStep): PrintableStep {
  return {
    kind: step.kind,
    harness: step.harness,
    path: step.path,
    realPath: step.realPath,
    fingerprint: step.fingerprint,
    createMode: step.createMode,
    changes: step.changes.map((change) => ({
      action: change.action,
      target: change.target,
      key: change.key,
      before: masked(change.before, change.key),
      after: masked(change.after, change.key),
      note: change.note,
    })),
    conflicts: step.conflicts.map((conflict) => ({
      target: conflict.target,
      key: conflict.key,
      found: masked(conflict.found, conflict.key) as TomlValue,
      wanted: masked(conflict.wanted, conflict.key),
      reason: conflict.reason,
    })),
  };
}

/** Masks by the setting's own name too (`otel.exporter.otlp-http.headers` is all secret). */
function masked(value: TomlValue | undefined, dotPath: string): TomlValue | undefined {
  return maskSecretValues(value, dotPath.split(".").at(-1));
}
