import type { Command } from "../command.ts";
import { EXIT } from "../exit_codes.ts";
import { renderPlan } from "../render_plan.ts";
import { planJson } from "../plan_json.ts";
import { destinationsOfPolicy, renderDestinations } from "../../forward/destinations_of_policy.ts";
import { UsageError } from "../usage_error.ts";
import { loadPolicy } from "../../policy/load_policy.ts";
import { endpointPaths } from "../../endpoint/endpoint_paths.ts";
import { HARNESS_ADAPTERS } from "../../harness/harness_adapters.ts";
import { withEndpointToken } from "../../endpoint/collector_token.ts";
import { computePlan } from "../../reconcile/compute_plan.ts";
import { applyPlan } from "../../reconcile/apply_plan.ts";
import { type OwnershipState, readOwnershipState } from "../../reconcile/ownership_store.ts";
import { type Plan, planHasChanges, summarizePlan } from "../../reconcile/plan.ts";
import { readSavedPlan } from "../read_saved_plan.ts";

/** `beacon apply`: make the machine match the policy, or with `--plan` show what that takes. */
export const applyCommand: Command = {
  words: ["apply"],
  summary: "Show (--plan) or make the changes that bring harness configs in line with the policy",
  description:
    "Computes a plan from the policy and the files as they are, like `terraform plan`, and\n" +
    "applies it. Only the settings Beacon owns change (Codex: keys of [otel] in\n" +
    "$CODEX_HOME/config.toml); every other byte of the file is kept. Writes are atomic, keep\n" +
    "the file's permissions, and leave the previous content in <file>.beacon.bak. A value\n" +
    "Beacon wrote that someone changed since is written again. While an exporter Beacon never\n" +
    "took over sends telemetry elsewhere, the whole [otel] table is a conflict: reported and\n" +
    "left alone unless --force.\n\n" +
    "Exit codes: --plan: 0 no changes, 2 changes to make, 3 only conflicts, 1 error.\n" +
    "apply: 0 done, 3 done but conflicts were left alone, 1 error (nothing written).",
  options: {
    plan: { type: "boolean", description: "Only show the plan; change nothing." },
    json: { type: "boolean", description: "Print the plan (and result) as JSON." },
    force: { type: "boolean", description: "Take over conflicting values." },
    policy: { type: "string", valueName: "PATH", description: "Policy file to use." },
    out: {
      type: "string",
      valueName: "FILE",
      description: "With --plan: save the plan to FILE (mode 0600) for apply --from-plan.",
    },
    "from-plan": {
      type: "string",
      valueName: "FILE",
      description: "Apply a saved plan; refused if a file changed since it was planned.",
    },
  },
  async run({ values }, context) {
    if (values.out && !values.plan) throw new UsageError("beacon apply: --out needs --plan");
    if (values["from-plan"] && (values.plan || values.force)) {
      throw new UsageError("beacon apply: --from-plan cannot be combined with --plan or --force");
    }
    const { fs } = context;
    const policy = await loadPolicy(context, values.policy as string | undefined);
    const paths = endpointPaths(policy.policy.endpoint.mode, context.host);
    // An installed endpoint's generated token stays in Codex's headers.
    const loaded = await withEndpointToken(policy, fs, paths);
    const json = values.json === true;
    const planFrom = (ownership: OwnershipState) =>
      computePlan({
        loaded,
        host: context.host,
        fs,
        ownership,
        adapters: HARNESS_ADAPTERS,
        force: values.force === true,
      });

    if (values.plan) {
      const plan = await planFrom(await readOwnershipState(fs, paths.statePath));
      if (values.out) {
        await fs.writeFileAtomic(
          values.out as string,
          new TextEncoder().encode(planJson(plan, { mask: false })),
          0o600,
        );
      }
      // Where the collector forwards events is part of what the policy asks; shown, not planned.
      const destinations = destinationsOfPolicy(loaded.policy);
      context.stdout(
        json
          ? planJson(plan, { mask: true, extra: destinations.length ? { destinations } : {} })
          : renderPlan(plan) + renderDestinations(destinations),
      );
      if (values.out && !json) context.stdout(`Saved the plan to ${values.out}.\n`);
      return planExitCode(plan);
    }

    const lock = await fs.lock(paths.lockPath);
    try {
      const ownership = await readOwnershipState(fs, paths.statePath);
      const plan = values["from-plan"]
        ? await readSavedPlan(fs, values["from-plan"] as string)
        : await planFrom(ownership);
      const applied = await applyPlan({ plan, fs, ownership, statePath: paths.statePath });
      const summary = summarizePlan(plan);
      if (json) {
        context.stdout(planJson(plan, { mask: true, extra: { applied } }));
      } else {
        context.stdout(renderPlan(plan));
        for (const step of applied.filter((step) => step.written)) {
          context.stdout(
            `Wrote ${step.path}` + (step.backup ? ` (previous content in ${step.backup})` : "") +
              ".\n",
          );
        }
        if (planHasChanges(plan)) {
          context.stdout(
            `Apply complete: ${summary.add} added, ${summary.change} changed, ` +
              `${summary.destroy} destroyed.\n`,
          );
        }
      }
      return summary.conflicts ? EXIT.attention : EXIT.ok;
    } finally {
      await lock.release();
    }
  },
};

function planExitCode(plan: Plan): number {
  if (planHasChanges(plan)) return EXIT.changes;
  return summarizePlan(plan).conflicts ? EXIT.attention : EXIT.ok;
}
