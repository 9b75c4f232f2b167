import {
  type Change,
  isSettingsStep,
  type Plan,
  type StepAction,
  stepActions,
  summarizePlan,
} from "../reconcile/plan.ts";
import type { Host } from "../host/host.ts";
import { describeServiceChange } from "../endpoint/service/describe_service_change.ts";
import { printablePlan, type PrintableSettingsStep, type PrintableStep } from "./printable_plan.ts";
import { formatTomlValue } from "../toml/format_toml_value.ts";
import type { TomlValue } from "../toml/toml_value.ts";

const SYMBOL: Record<Change["action"], string> = { create: "+", update: "~", delete: "-" };
const ACTION_SYMBOL: Record<StepAction, string> = { add: "+", change: "~", destroy: "-" };

/** How a plan is shown: options of {@link renderPlan}. */
export interface RenderPlanOptions {
  /** The command whose `--force` takes conflicts over; default `beacon apply`. */
  forceCommand?: string;
  /** Paths in this home folder are shown as `~/...` in service lines. */
  host?: Pick<Host, "home">;
  /** What the conflicts heading says instead of how to take them over (uninstall). */
  conflictsAdvice?: string;
}

/**
 * A plan as people read it, in Terraform's shape: one line per change (`+` add, `~` change,
 * `-` destroy) grouped by file, then the endpoint's own steps (folders, files, the collector
 * service), notes, conflicts and warnings, then the totals line. Rendered from
 * {@link printablePlan}, the one place secrets (the collector token, header values) are masked.
 */
export function renderPlan(plan: Plan, options: RenderPlanOptions = {}): string {
  const shown = printablePlan(plan);
  const runtimeLog = (shown.endpointConfig as { runtimeLogPath?: string } | undefined)
    ?.runtimeLogPath;
  const lines: string[] = [
    `Policy: ${shown.policySource}`,
    ...(shown.mode ? [`Mode: ${shown.mode} (runtime log: ${runtimeLog})`] : []),
    "",
  ];
  const summary = summarizePlan(plan);
  const settings = shown.steps.filter(isPrintableSettingsStep);
  for (const step of settings) {
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
        ? show(change.after)
        : change.action === "delete"
        ? show(change.before)
        : `${show(change.before)} -> ${show(change.after)}`;
      lines.push(
        `  ${SYMBOL[change.action]} ${key} = ${value}${change.note ? `  # ${change.note}` : ""}`,
      );
    }
    lines.push("");
  }
  const endpointLines: string[] = [];
  plan.steps.forEach((step, index) => {
    if (isSettingsStep(step)) return;
    const actions = stepActions(step);
    describeStep(shown.steps[index], options.host).forEach((text, line) => {
      endpointLines.push(`${ACTION_SYMBOL[actions[line]]} ${text}`);
    });
  });
  if (endpointLines.length) {
    lines.push("  # endpoint", ...endpointLines.map((line) => `  ${line}`), "");
  }
  const notes = shown.notes ?? [];
  if (notes.length) {
    lines.push("Notes:", ...notes.map((note) => `  - ${note}`), "");
  }
  if (summary.conflicts) {
    const harnesses = [
      ...new Set(settings.filter((s) => s.conflicts.length).map((s) => s.harness)),
    ];
    lines.push(
      options.conflictsAdvice
        ? `Conflicts (left alone; ${options.conflictsAdvice}):`
        : `Conflicts (left alone; \`${options.forceCommand ?? "beacon apply"} --force\`, or ${
          harnesses.map((name) => `harnesses.${name}.on_conflict`).join(" / ")
        } = "take_over" in the policy, takes them over):`,
    );
    for (const step of settings) {
      for (const conflict of step.conflicts) {
        lines.push(`  ! ${conflict.key} in ${conflict.target}: ${conflict.reason}`);
        lines.push(`      found:  ${show(conflict.found)}`);
        lines.push(`      wanted: ${show(conflict.wanted)}`);
      }
    }
    lines.push("");
  }
  if (shown.warnings.length) {
    lines.push("Warnings:");
    for (const warning of shown.warnings) lines.push(`  ! ${warning.target}: ${warning.message}`);
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

/** One line per entry of `stepActions` for an endpoint step, in the same order. */
function describeStep(step: PrintableStep, host: Pick<Host, "home"> | undefined): string[] {
  switch (step.kind) {
    case "toml-settings":
    case "json-settings":
      return [];
    case "folder":
      if (step.remove) {
        return step.exists ? [`${step.path}/ (${step.purpose} folder, if empty)`] : [];
      }
      return step.exists
        ? []
        : [`${step.path}/ (${step.purpose} folder, mode ${step.mode.toString(8)})`];
    case "file":
      return step.action === "none" ? [] : [`${step.path} (${step.purpose})`];
    case "service":
    case "service-removal":
      return step.changes.map((change) => describeServiceChange(change, host ?? { home: "" }));
  }
}

function isPrintableSettingsStep(step: PrintableStep): step is PrintableSettingsStep {
  return isSettingsStep(step);
}

/** A value for people: already masked by {@link printablePlan}. */
function show(value: TomlValue | undefined): string {
  return value === undefined ? "(absent)" : formatTomlValue(value);
}
