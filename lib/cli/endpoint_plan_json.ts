import type { EndpointPlan } from "../endpoint/plan_endpoint.ts";
import { summarizeEndpointPlan } from "../endpoint/plan_endpoint.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";
import type { TomlValue } from "../toml/toml_value.ts";
import { stringifyTomlJson } from "../toml/toml_json.ts";
import { printablePlan } from "./printable_plan.ts";

/**
 * An endpoint plan (`endpoint install|repair --plan --json`, and what they applied) as JSON
 * text, with the same masking as `apply --plan --json`: the harness changes through
 * {@link printablePlan}, the endpoint's own values masked by name, and no file text (the
 * configuration file and service definitions are shown as data, not as the text written).
 * `extra` comes first (e.g. `ok`, `steps`), then `summary` and `plan`.
 */
export function endpointPlanJson(plan: EndpointPlan, extra: object = {}): string {
  const shown = {
    mode: plan.mode,
    paths: plan.paths,
    reconcile: printablePlan(plan.reconcile),
    config: {
      path: plan.config.path,
      purpose: plan.config.purpose,
      action: plan.config.action,
      mode: plan.config.mode,
    },
    endpointConfig: masked(plan.endpointConfig),
    folders: plan.folders,
    service: {
      manager: plan.service.manager,
      spec: masked(plan.service.spec),
      changes: plan.service.changes.map((change) =>
        change.kind === "write-file"
          ? { kind: change.kind, action: change.action, path: change.path, mode: change.mode }
          : change
      ),
    },
    notes: plan.notes,
  };
  return stringifyTomlJson({ ...extra, summary: summarizeEndpointPlan(plan), plan: shown }, 2) +
    "\n";
}

function masked(value: object): TomlValue | undefined {
  return maskSecretValues(value as unknown as TomlValue);
}
