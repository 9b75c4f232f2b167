import { isSettingsStep, type Plan } from "../reconcile/plan.ts";

/**
 * The closing paragraph of a run that left conflicts alone: what is left, and the command
 * (`beacon endpoint install --force`, ...) or policy setting that takes it over. Empty when
 * nothing was left.
 *
 * @example
 * ```ts
 * import type { Plan } from "../reconcile/plan.ts";
 * declare const plan: Plan; // a plan whose Codex step left a foreign exporter alone
 * renderConflictsLeft(plan, "beacon endpoint repair");
 * // Needs attention: 1 conflict was left alone, so the configuration does not match the policy:
 * //   ! otel in /home/me/.codex/config.toml: otel.exporter sends to someone else's destination...
 * // `beacon endpoint repair --force` takes it over (or harnesses.codex.on_conflict = "take_over").
 * ```
 */
export function renderConflictsLeft(plan: Plan, command: string): string {
  const settings = plan.steps.filter(isSettingsStep);
  const left = settings.flatMap((step) => step.conflicts);
  if (!left.length) return "";
  const harnesses = [
    ...new Set(settings.filter((step) => step.conflicts.length).map((step) => step.harness)),
  ];
  const one = left.length === 1;
  return [
    `Needs attention: ${one ? "1 conflict was" : `${left.length} conflicts were`} left alone, ` +
    "so the configuration does not match the policy:",
    ...left.map((conflict) => `  ! ${conflict.key} in ${conflict.target}: ${conflict.reason}`),
    `\`${command} --force\` takes ${one ? "it" : "them"} over (or ${
      harnesses.map((name) => `harnesses.${name}.on_conflict`).join(" / ")
    } = "take_over" in the policy).`,
  ].join("\n") + "\n";
}
