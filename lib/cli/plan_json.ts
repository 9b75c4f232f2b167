import type { Plan } from "../reconcile/plan.ts";
import { summarizePlan } from "../reconcile/plan.ts";
import { stringifyTomlJson } from "../toml/toml_json.ts";
import { printablePlan } from "./printable_plan.ts";

/**
 * A plan (`beacon apply`'s or the endpoint's) as JSON text: `extra` first (e.g. `ok`, `steps`,
 * `applied`), then `summary` and `plan`. With `mask` (what is printed), only
 * {@link printablePlan}'s masked view is written, as in the text view; unmasked (a plan saved
 * with `--out`, mode 0600) it can be applied later.
 */
export function planJson(plan: Plan, options: { mask: boolean; extra?: object }): string {
  const shown = options.mask ? printablePlan(plan) : plan;
  return stringifyTomlJson({ ...options.extra, summary: summarizePlan(plan), plan: shown }, 2) +
    "\n";
}
