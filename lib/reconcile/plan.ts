/**
 * The Plan: pure data saying what must change to make the machine match the policy. Computing
 * it has no side effects; `apply --plan`, `apply`, `endpoint install|repair [--plan]` and
 * `endpoint status` (drift) all start from a value of this one type. It serialises to JSON (`apply --plan --json`) and can be applied later, in
 * which case every step is refused if its file changed after it was planned.
 *
 * @module
 */
import type { TomlEdit } from "../toml/edit_toml.ts";
import type { JsonEdit } from "../json/edit_json.ts";
import type { TomlValue } from "../toml/toml_value.ts";
import type { EndpointPaths } from "../endpoint/endpoint_paths.ts";
import type { EndpointConfig } from "../endpoint/endpoint_config.ts";
import type { CollectorServiceSpec } from "../endpoint/service/collector_service_spec.ts";
import type { ServiceManager } from "../endpoint/service/detect_service_manager.ts";
import type { ServiceChange } from "../endpoint/service/service_controller.ts";

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

/** A harness's settings step, in TOML or JSON: what `beacon apply` plans. */
export type SettingsStep = TomlSettingsStep | JsonSettingsStep;

/**
 * A folder the endpoint needs; created (with `mode`) when it does not exist. With `remove`
 * (uninstall), an existing folder is removed instead, and only if nothing is left in it.
 */
export interface FolderStep {
  kind: "folder";
  path: string;
  purpose: string;
  mode: number;
  exists: boolean;
  /** Remove the folder when it is empty by then (`endpoint uninstall --purge`'s log folder). */
  remove?: "if-empty";
}

/**
 * A file Beacon writes whole (the endpoint configuration, the collector token), with its new
 * text, or (`delete`, uninstall) a regular file of Beacon's it removes. `after` may be a secret
 * (the token file): views never show it.
 */
export interface FileStep {
  kind: "file";
  path: string;
  purpose: string;
  action: "create" | "update" | "delete" | "none";
  /** The text written; empty for `delete` and `none`. */
  after: string;
  mode: number;
}

/** The collector service: its definition, and what installing it would change. */
export interface ServiceStep {
  kind: "service";
  manager: ServiceManager;
  spec: CollectorServiceSpec;
  changes: ServiceChange[];
  /** Restart a running collector although its definition is unchanged (its token changed). */
  restart: boolean;
}

/** Removing the collector service (uninstall): what stopping and removing it would change. */
export interface ServiceRemovalStep {
  kind: "service-removal";
  manager: ServiceManager;
  /** Stop the collector, remove its definition; empty when nothing is installed. */
  changes: ServiceChange[];
}

/**
 * Every kind of step a plan can hold: a harness's settings (TOML or JSON), a folder, a file,
 * the collector service (installed or removed). `beacon apply` plans only settings;
 * `endpoint install|repair|status|uninstall` plan all of them, in the order they are applied.
 */
export type PlanStep = SettingsStep | FolderStep | FileStep | ServiceStep | ServiceRemovalStep;

/** True for a harness-settings step (either format). */
export function isSettingsStep(step: { kind: string }): step is SettingsStep {
  return step.kind === "toml-settings" || step.kind === "json-settings";
}

/** What a plan that sets up the endpoint (not only harness settings) is for. */
export interface PlanEndpoint {
  mode: "user" | "system";
  paths: EndpointPaths;
  /** What the endpoint configuration file will say (its `file` step's text, as data). */
  config: EndpointConfig;
}

/**
 * The whole plan: `beacon apply`'s (settings steps only) and the endpoint's (with `endpoint`,
 * folders, files and the service) are the same type, rendered, summarised, masked and applied by
 * the same functions.
 */
export interface Plan<Step extends PlanStep = PlanStep> {
  formatVersion: 1;
  /** Where the policy came from. */
  policySource: string;
  createdAt: string;
  /** Present when the plan sets up the endpoint. */
  endpoint?: PlanEndpoint;
  steps: Step[];
  warnings: PlanWarning[];
  /** Things people should know that are no change (troubleshooting options, no service manager). */
  notes?: string[];
}

/** A plan that sets up the endpoint: {@link Plan} with its `endpoint` part. */
export type EndpointPlan = Plan & { endpoint: PlanEndpoint; notes: string[] };

/** Counts for the plan's footer. */
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  conflicts: number;
}

/** What a step adds, changes or destroys, one entry per line of the plan's text. */
export type StepAction = "add" | "change" | "destroy";

const SETTING_ACTION: Record<ChangeAction, StepAction> = {
  create: "add",
  update: "change",
  delete: "destroy",
};

/**
 * What one step adds, changes or destroys, one entry per line the plan shows for it: a settings
 * step's changed keys, a missing folder (or one to remove), a file written or removed, each
 * service change.
 */
export function stepActions(step: PlanStep): StepAction[] {
  switch (step.kind) {
    case "toml-settings":
    case "json-settings":
      return step.changes.map((change) => SETTING_ACTION[change.action]);
    case "folder":
      if (step.remove) return step.exists ? ["destroy"] : [];
      return step.exists ? [] : ["add"];
    case "file":
      return step.action === "none"
        ? []
        : [step.action === "create" ? "add" : step.action === "delete" ? "destroy" : "change"];
    case "service":
    case "service-removal":
      return step.changes.map((change) =>
        change.kind === "write-file"
          ? change.action === "update" ? "change" : "add"
          : change.kind === "start"
          ? "add"
          : change.kind === "restart"
          ? "change"
          : "destroy"
      );
  }
}

/** The plan's totals, as `Plan: N to add, N to change, N to destroy.` counts them. */
export function summarizePlan(plan: Plan): PlanSummary {
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0, conflicts: 0 };
  for (const step of plan.steps) {
    for (const action of stepActions(step)) summary[action]++;
    if (isSettingsStep(step)) summary.conflicts += step.conflicts.length;
  }
  return summary;
}

/** True when applying the plan would change something. */
export function planHasChanges(plan: Plan): boolean {
  const summary = summarizePlan(plan);
  return summary.add + summary.change + summary.destroy > 0;
}

/**
 * The harness-settings part of a plan (what `beacon apply` would make), e.g. for the drift
 * `endpoint status` reports.
 */
export function settingsPlanOf(plan: Plan): Plan<SettingsStep> {
  return {
    formatVersion: plan.formatVersion,
    policySource: plan.policySource,
    createdAt: plan.createdAt,
    steps: plan.steps.filter(isSettingsStep),
    warnings: plan.warnings,
  };
}

/** The plan's `service` step, when it has one. */
export function serviceStepOf(plan: Plan): ServiceStep | undefined {
  return plan.steps.find((step): step is ServiceStep => step.kind === "service");
}
