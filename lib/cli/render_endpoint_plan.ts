import {
  type EndpointPlan,
  type EndpointStep,
  endpointStepActions,
  harnessPlanOf,
} from "../endpoint/plan_endpoint.ts";
import { describeServiceChange } from "../endpoint/service/describe_service_change.ts";
import type { Host } from "../host/host.ts";
import { renderPlan } from "./render_plan.ts";

const SYMBOL = { add: "+", change: "~", destroy: "-" } as const;

/**
 * An endpoint install or repair plan for people: the harness changes as `beacon apply` shows
 * them (masked), then one line per endpoint step that changes something, then the totals.
 */
export function renderEndpointPlan(
  plan: EndpointPlan,
  host: Pick<Host, "home">,
  verb: "install" | "repair",
): string {
  const counts = { add: 0, change: 0, destroy: 0 };
  const lines: string[] = [];
  for (const step of plan.steps) {
    const actions = endpointStepActions(step);
    describeStep(step, host).forEach((text, index) => {
      counts[actions[index]]++;
      lines.push(`${SYMBOL[actions[index]]} ${text}`);
    });
  }
  return renderPlan(harnessPlanOf(plan), {
    header: [`Mode: ${plan.mode} (runtime log: ${plan.endpointConfig.runtimeLogPath})`],
    sections: [{ title: "endpoint", lines }],
    counts,
    notes: plan.notes,
    forceCommand: `beacon endpoint ${verb}`,
  });
}

/** One line per entry of {@link endpointStepActions}, in the same order. */
function describeStep(step: EndpointStep, host: Pick<Host, "home">): string[] {
  switch (step.kind) {
    case "toml-settings":
    case "json-settings":
      return [];
    case "folder":
      return step.exists
        ? []
        : [`${step.path}/ (${step.purpose} folder, mode ${step.mode.toString(8)})`];
    case "file":
      return step.action === "none" ? [] : [`${step.path} (${step.purpose})`];
    case "service":
      return step.changes.map((change) => describeServiceChange(change, host));
  }
}
