import type { Change, Plan } from "../reconcile/plan.ts";
import { summarizePlan } from "../reconcile/plan.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";
import { formatTomlValue } from "../toml/format_toml_value.ts";
import type { TomlValue } from "../toml/toml_value.ts";

const SYMBOL: Record<Change["action"], string> = { create: "+", update: "~", delete: "-" };

/**
 * A plan as people read it, in Terraform's shape: one line per change (`+` add, `~` change,
 * `-` destroy) grouped by file, then conflicts and warnings, then the totals line. Secret
 * values (the collector token) are masked.
 */
export function renderPlan(plan: Plan, extra: ExtraPlanParts = {}): string {
  const lines: string[] = [`Policy: ${plan.policySource}`, ...(extra.header ?? []), ""];
  const summary = summarizePlan(plan);
  for (const key of ["add", "change", "destroy"] as const) summary[key] += extra.counts?.[key] ?? 0;
  for (const step of plan.steps) {
    if (!step.changes.length) continue;
    lines.push(
      `  # ${step.harness}: ${step.path}${
        step.realPath !== step.path ? ` (-> ${step.realPath})` : ""
      }`,
    );
    const width = Math.max(...step.changes.map((change) => change.key.length), 0);
    for (const change of step.changes) {
      const key = change.key.padEnd(width);
      const value = change.action === "create"
        ? show(change.after, change.key)
        : change.action === "delete"
        ? show(change.before, change.key)
        : `${show(change.before, change.key)} -> ${show(change.after, change.key)}`;
      lines.push(
        `  ${SYMBOL[change.action]} ${key} = ${value}${change.note ? `  # ${change.note}` : ""}`,
      );
    }
    lines.push("");
  }
  for (const section of extra.sections ?? []) {
    if (!section.lines.length) continue;
    lines.push(`  # ${section.title}`, ...section.lines.map((line) => `  ${line}`), "");
  }
  if (extra.notes?.length) {
    lines.push("Notes:", ...extra.notes.map((note) => `  - ${note}`), "");
  }
  if (summary.conflicts) {
    const harnesses = [
      ...new Set(plan.steps.filter((s) => s.conflicts.length).map((s) => s.harness)),
    ];
    lines.push(
      `Conflicts (left alone; \`${extra.forceCommand ?? "beacon apply"} --force\`, or ${
        harnesses.map((name) => `harnesses.${name}.on_conflict`).join(" / ")
      } = "take_over" in the policy, takes them over):`,
    );
    for (const step of plan.steps) {
      for (const conflict of step.conflicts) {
        lines.push(`  ! ${conflict.key} in ${conflict.target}: ${conflict.reason}`);
        lines.push(`      found:  ${show(conflict.found)}`);
        lines.push(`      wanted: ${show(conflict.wanted)}`);
      }
    }
    lines.push("");
  }
  if (plan.warnings.length) {
    lines.push("Warnings:");
    for (const warning of plan.warnings) lines.push(`  ! ${warning.target}: ${warning.message}`);
    lines.push("");
  }
  if (summary.add + summary.change + summary.destroy === 0) {
    lines.push(
      summary.conflicts
        ? `No changes. ${
          summary.conflicts === 1 ? "1 conflict is" : `${summary.conflicts} conflicts are`
        } ` +
          "left alone (above): the configuration does not match the policy until taken over."
        : "No changes. The configuration matches the policy.",
    );
  } else {
    lines.push(
      `Plan: ${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy.`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Parts of a larger plan (e.g. an endpoint install) shown with the harness changes. */
export interface ExtraPlanParts {
  /** Lines after the policy line, e.g. the mode. */
  header?: string[];
  /** Groups of change lines (already with their `+`/`~`/`-`). */
  sections?: { title: string; lines: string[] }[];
  /** Their changes, added to the totals line. */
  counts?: { add: number; change: number; destroy: number };
  notes?: string[];
  /** The command whose `--force` takes conflicts over; default `beacon apply`. */
  forceCommand?: string;
}

/** A value for people, secrets masked; `key` is its dot path (its last part names a leaf). */
function show(value: TomlValue | undefined, key = ""): string {
  const masked = maskSecretValues(value, key.split(".").at(-1));
  return masked === undefined ? "(absent)" : formatTomlValue(masked);
}
