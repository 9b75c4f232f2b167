import type { Plan } from "../reconcile/plan.ts";
import { summarizePlan } from "../reconcile/plan.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";
import { stringifyTomlJson } from "../toml/toml_json.ts";

/**
 * A plan as JSON text. With `mask` (what is printed), secret values are masked and the edits,
 * which hold them, are left out; unmasked (a plan saved with `--out`) it can be applied later.
 */
export function planJson(plan: Plan, options: { mask: boolean; extra?: object }): string {
  const shown = options.mask
    ? {
      ...plan,
      steps: plan.steps.map((step) => ({
        ...step,
        edits: undefined,
        owned: undefined,
        originals: undefined,
        changes: step.changes.map((change) => ({
          ...change,
          before: maskSecretValues(change.before),
          after: maskSecretValues(change.after),
        })),
        conflicts: step.conflicts.map((conflict) => ({
          ...conflict,
          found: maskSecretValues(conflict.found),
          wanted: maskSecretValues(conflict.wanted),
        })),
      })),
    }
    : plan;
  return stringifyTomlJson({ ...options.extra, summary: summarizePlan(plan), plan: shown }, 2) +
    "\n";
}
