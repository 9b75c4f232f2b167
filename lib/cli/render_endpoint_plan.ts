import type { EndpointPlan } from "../endpoint/plan_endpoint.ts";
import { describeServiceChange } from "../endpoint/service/describe_service_change.ts";
import type { ServiceChange } from "../endpoint/service/service_controller.ts";
import type { Host } from "../host/host.ts";
import { renderPlan } from "./render_plan.ts";

const SERVICE_SYMBOL: Record<ServiceChange["kind"], "+" | "~" | "-"> = {
  "write-file": "+",
  "remove-file": "-",
  start: "+",
  restart: "~",
  stop: "-",
};

/** An endpoint install or repair plan for people: harness changes, then the endpoint's own. */
export function renderEndpointPlan(plan: EndpointPlan, host: Pick<Host, "home">): string {
  const counts = { add: 0, change: 0, destroy: 0 };
  const count = (symbol: "+" | "~" | "-") =>
    symbol === "+" ? counts.add++ : symbol === "~" ? counts.change++ : counts.destroy++;
  const lines: string[] = [];
  for (const folder of plan.folders.filter((folder) => !folder.exists)) {
    count("+");
    lines.push(`+ ${folder.path}/ (${folder.purpose} folder, mode ${folder.mode.toString(8)})`);
  }
  if (plan.config.action !== "none") {
    const symbol = plan.config.action === "create" ? "+" : "~";
    count(symbol);
    lines.push(`${symbol} ${plan.config.path} (${plan.config.purpose})`);
  }
  for (const change of plan.service.changes) {
    const symbol = change.kind === "write-file" && change.action === "update"
      ? "~"
      : SERVICE_SYMBOL[change.kind];
    count(symbol);
    lines.push(`${symbol} ${describeServiceChange(change, host)}`);
  }
  return renderPlan(plan.reconcile, {
    header: [`Mode: ${plan.mode} (runtime log: ${plan.endpointConfig.runtimeLogPath})`],
    sections: [{ title: "endpoint", lines }],
    counts,
    notes: plan.notes,
  });
}
