import {
  type EndpointPlan,
  type EndpointStep,
  summarizeEndpointPlan,
} from "../endpoint/plan_endpoint.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../toml/toml_value.ts";
import { stringifyTomlJson } from "../toml/toml_json.ts";
import { printableStep } from "./printable_plan.ts";

/**
 * An endpoint plan (`endpoint install|repair --plan --json`, and what they applied) as JSON
 * text, with the same masking as `apply --plan --json`: harness steps through
 * {@link printableStep}, the endpoint's own values masked by name, and no file text (the
 * configuration file and the service definition are shown as data, not as the text written).
 * `extra` comes first (e.g. `ok`, `steps`), then `summary` and `plan`.
 */
export function endpointPlanJson(plan: EndpointPlan, extra: object = {}): string {
  const shown = {
    formatVersion: plan.formatVersion,
    policySource: plan.policySource,
    createdAt: plan.createdAt,
    mode: plan.mode,
    paths: plan.paths,
    steps: plan.steps.map(printableEndpointStep),
    warnings: plan.warnings.map((warning) => ({
      target: warning.target,
      message: warning.message,
    })),
    endpointConfig: masked(plan.endpointConfig),
    notes: plan.notes,
  };
  return stringifyTomlJson({ ...extra, summary: summarizeEndpointPlan(plan), plan: shown }, 2) +
    "\n";
}

function printableEndpointStep(step: EndpointStep): object {
  switch (step.kind) {
    case "toml-settings":
    case "json-settings":
      return printableStep(step);
    case "folder":
      return step;
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
        spec: masked(step.spec),
        changes: step.changes.map((change) =>
          change.kind === "write-file"
            ? { kind: change.kind, action: change.action, path: change.path, mode: change.mode }
            : change
        ),
      };
  }
}

function masked(value: object): TomlValue | undefined {
  return maskSecretValues(value as unknown as TomlValue);
}
