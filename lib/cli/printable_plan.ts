import type {
  Change,
  Conflict,
  FolderStep,
  Plan,
  PlanStep,
  PlanWarning,
  SettingsStep,
} from "../reconcile/plan.ts";
import type { EndpointPaths } from "../endpoint/endpoint_paths.ts";
import type { ServiceManager } from "../endpoint/service/detect_service_manager.ts";
import type { ServiceChange } from "../endpoint/service/service_controller.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../toml/toml_value.ts";

/** A settings step as printed: where, what changes, what is left alone; no file text. */
export interface PrintableSettingsStep {
  kind: SettingsStep["kind"];
  harness: string;
  path: string;
  realPath: string;
  fingerprint: string | null;
  createMode: number;
  changes: Change[];
  conflicts: Conflict[];
}

/** A file step as printed: which file and why, never its text (the token file's is the token). */
export interface PrintableFileStep {
  kind: "file";
  path: string;
  purpose: string;
  action: "create" | "update" | "delete" | "none";
  mode: number;
}

/** A service change as printed: a definition file's path, not its text. */
export type PrintableServiceChange =
  | Exclude<ServiceChange, { kind: "write-file" }>
  | Omit<Extract<ServiceChange, { kind: "write-file" }>, "text">;

/** The service step as printed: its definition as data, secrets masked. */
export interface PrintableServiceStep {
  kind: "service";
  manager: ServiceManager;
  spec: TomlValue | undefined;
  changes: PrintableServiceChange[];
}

/** Removing the service as printed: its changes (stop, remove a file) hold no text. */
export interface PrintableServiceRemovalStep {
  kind: "service-removal";
  manager: ServiceManager;
  changes: PrintableServiceChange[];
}

/** One step of a plan as printed. */
export type PrintableStep =
  | PrintableSettingsStep
  | FolderStep
  | PrintableFileStep
  | PrintableServiceStep
  | PrintableServiceRemovalStep;

/**
 * A plan as printed: what both the text view (`renderPlan`) and the JSON view (`planJson`) are
 * made from, so masking happens here and nowhere else. See {@link printablePlan}.
 */
export interface PrintablePlan {
  formatVersion: 1;
  policySource: string;
  createdAt: string;
  mode?: "user" | "system";
  paths?: EndpointPaths;
  steps: PrintableStep[];
  warnings: PlanWarning[];
  endpointConfig?: TomlValue;
  notes?: string[];
}

/**
 * The part of a plan that may be printed, with secret values masked: the one place both views
 * go through. Fields are copied by name, never by spreading a step: a settings step also holds
 * the raw edits, the owned values, the user's original values and the file's original text, a
 * file step holds the text written (the token file's is the token), a service definition holds
 * its file's text; all can hold a secret, and a field added to the plan later stays out of what
 * is printed until someone decides it may be shown.
 *
 * @example
 * ```ts
 * import { printablePlan } from "./printable_plan.ts";
 * import type { Plan } from "../reconcile/plan.ts";
 * declare const plan: Plan; // e.g. from computePlan or planEndpoint
 *
 * const shown = printablePlan(plan);
 * // shown.steps[0]: { kind, harness, path, realPath, fingerprint, createMode, changes,
 * //   conflicts }, with `"authorization": "Bearer ****"` where the plan holds the token
 * ```
 */
export function printablePlan(plan: Plan): PrintablePlan {
  const warnings = plan.warnings.map((warning) => ({
    target: warning.target,
    message: warning.message,
  }));
  const steps = plan.steps.map(printableStep);
  if (!plan.endpoint) {
    return {
      formatVersion: plan.formatVersion,
      policySource: plan.policySource,
      createdAt: plan.createdAt,
      steps,
      warnings,
      ...(plan.notes ? { notes: [...plan.notes] } : {}),
    };
  }
  return {
    formatVersion: plan.formatVersion,
    policySource: plan.policySource,
    createdAt: plan.createdAt,
    mode: plan.endpoint.mode,
    paths: plan.endpoint.paths,
    steps,
    warnings,
    endpointConfig: maskSecretValues(plan.endpoint.config as unknown as TomlValue),
    notes: [...(plan.notes ?? [])],
  };
}

/** One step of a plan as printed: see {@link printablePlan}. */
export function printableStep(step: PlanStep): PrintableStep {
  switch (step.kind) {
    case "toml-settings":
    case "json-settings":
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
    case "folder":
      return {
        kind: step.kind,
        path: step.path,
        purpose: step.purpose,
        mode: step.mode,
        exists: step.exists,
        ...(step.remove ? { remove: step.remove } : {}),
      };
    case "file":
      return {
        kind: step.kind,
        path: step.path,
        purpose: step.purpose,
        action: step.action,
        mode: step.mode,
      };
    case "service":
      return {
        kind: step.kind,
        manager: step.manager,
        spec: maskSecretValues(step.spec as unknown as TomlValue),
        changes: step.changes.map(printableServiceChange),
      };
    case "service-removal":
      return {
        kind: step.kind,
        manager: step.manager,
        changes: step.changes.map(printableServiceChange),
      };
  }
}

/** A definition file's path and mode, never its text. */
function printableServiceChange(change: ServiceChange): PrintableServiceChange {
  return change.kind === "write-file"
    ? { kind: change.kind, action: change.action, path: change.path, mode: change.mode }
    : change;
}

/** Masks by the setting's own name too (`otel.exporter.otlp-http.headers` is all secret). */
function masked(value: TomlValue | undefined, dotPath: string): TomlValue | undefined {
  return maskSecretValues(value, dotPath.split(".").at(-1));
}
