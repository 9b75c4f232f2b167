/**
 * The Plan: pure data saying what must change to make the machine match the policy. Computing
 * it has no side effects; `apply --plan`, `endpoint status` (drift) and `apply` all start from
 * the same value. It serialises to JSON (`apply --plan --json`) and can be applied later, in
 * which case every step is refused if its file changed after it was planned.
 *
 * @module
 */
import type { TomlEdit } from "../toml/edit_toml.ts";
import type { JsonEdit } from "../json/edit_json.ts";
import type { TomlValue } from "../toml/toml_value.ts";

/** `+ create`, `~ update`, `- destroy`, as in Terraform. */
export type ChangeAction = "create" | "update" | "delete";

/** One managed value that differs. `before`/`after` are absent for create/delete. */
export interface Change {
  action: ChangeAction;
  /** The file (as shown to people) the change is in. */
  target: string;
  /** Dot path of the setting, e.g. `otel.exporter`. */
  key: string;
  before?: TomlValue;
  after?: TomlValue;
  /** Why, when it is not obvious (e.g. taking over a foreign value). */
  note?: string;
}

/** A value Beacon wants to change but does not own: left alone unless taking over. */
export interface Conflict {
  target: string;
  key: string;
  found: TomlValue;
  wanted: TomlValue | undefined;
  reason: string;
}

/** Something people should know that the plan cannot fix (e.g. an overriding config layer). */
export interface PlanWarning {
  target: string;
  message: string;
}

/** Managed settings in one TOML file (Codex's config.toml for now). */
export interface TomlSettingsStep {
  kind: "toml-settings";
  harness: string;
  /** Path as found (may be a symlink). */
  path: string;
  /** The file actually written (symlinks resolved). */
  realPath: string;
  /** SHA-256 of the file's bytes when planned, or null when it did not exist. */
  fingerprint: string | null;
  /** Mode for a file that does not exist yet. */
  createMode: number;
  edits: TomlEdit[];
  changes: Change[];
  conflicts: Conflict[];
  /** What Beacon will remember as written (key -> value) once applied. */
  owned: Record<string, TomlValue>;
  /** The user's values before Beacon first wrote each key (restored by uninstall). */
  originals: Record<string, TomlValue | null>;
  /** The file's text before Beacon first changed it (null: no file); kept in the state. */
  originalText?: string | null;
  /**
   * Instead of the edits, put back this exact text (null: remove the file): when Beacon gives
   * a file back that nobody else changed since Beacon wrote it.
   */
  restoreText?: string | null;
}

/**
 * Managed settings in one JSON file (Claude Code's `settings.json`): the same ownership,
 * conflict, stale-plan and give-back record as a TOML step, with JSON edits.
 */
export interface JsonSettingsStep extends Omit<TomlSettingsStep, "kind" | "edits"> {
  kind: "json-settings";
  edits: JsonEdit[];
}

/** Every kind of step a plan can hold: a harness's settings, in TOML or JSON. */
export type PlanStep = TomlSettingsStep | JsonSettingsStep;

/** True for a harness-settings step (either format). */
export function isSettingsStep(step: { kind: string }): step is PlanStep {
  return step.kind === "toml-settings" || step.kind === "json-settings";
}

/** The whole plan. */
export interface Plan {
  formatVersion: 1;
  /** Where the policy came from. */
  policySource: string;
  createdAt: string;
  steps: PlanStep[];
  warnings: PlanWarning[];
}

/** Counts for the plan's footer. */
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  conflicts: number;
}

/** Counts changes by action. */
export function summarizePlan(plan: Plan): PlanSummary {
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0, conflicts: 0 };
  for (const step of plan.steps) {
    for (const change of step.changes) {
      if (change.action === "create") summary.add++;
      else if (change.action === "update") summary.change++;
      else summary.destroy++;
    }
    summary.conflicts += step.conflicts.length;
  }
  return summary;
}

/** True when applying the plan would write something. */
export function planHasChanges(plan: Plan): boolean {
  return plan.steps.some((step) => step.changes.length > 0);
}
