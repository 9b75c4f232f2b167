import type { Command, CommandArgs } from "../../command.ts";
import type { CliContext } from "../../cli_context.ts";
import { EXIT } from "../../exit_codes.ts";
import { VERSION } from "../../version.ts";
import { UsageError } from "../../usage_error.ts";
import { HARNESS_NAMES } from "../../../harness/harness_adapters.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { renderPlan } from "../../render_plan.ts";
import { planJson } from "../../plan_json.ts";
import { renderConflictsLeft } from "../../render_conflicts_left.ts";
import { planHasChanges, settingsPlanOf, summarizePlan } from "../../../reconcile/plan.ts";
import { HarnessChoiceError } from "../../../endpoint/choose_harnesses.ts";
import { planInstallOrRepair } from "../../../endpoint/plan_install_or_repair.ts";
import { applyInstallOrRepair } from "../../../endpoint/apply_install_or_repair.ts";

/** `beacon endpoint install`: set up the endpoint (harness configs, collector service). */
export const endpointInstallCommand: Command = {
  words: ["endpoint", "install"],
  summary: "Configure the harnesses and run the collector as a service (--plan to preview)",
  description:
    "One plan covering everything the endpoint needs: the harness configs (as `beacon apply`),\n" +
    "the endpoint configuration file, the runtime log folder and the collector service (systemd\n" +
    "or launchd; a background process where neither is usable, e.g. containers and CI). After\n" +
    "applying, it checks that the collector answers and that a test event reaches the runtime\n" +
    "log. If any step fails, everything is put back as it was. Running it again changes nothing.\n\n" +
    "Harness settings someone else made are conflicts: left alone unless --force.\n\n" +
    "Exit codes: 0 installed (--plan: nothing to change), 2 (--plan) changes to make,\n" +
    "3 installed but conflicts were left alone (--plan: only conflicts), 1 failed.",
  options: {
    ...ENDPOINT_COMMON_OPTIONS,
    plan: { type: "boolean", description: "Only show the plan; change nothing." },
    harness: {
      type: "string",
      multiple: true,
      valueName: "NAME",
      description: `Only this harness (repeatable: ${
        HARNESS_NAMES.join(", ")
      }); default: every supported one found here.`,
    },
    "include-codex-spans": {
      type: "boolean",
      description: "Keep Codex's raw spans (troubleshooting only).",
    },
    force: { type: "boolean", description: "Take over conflicting harness settings." },
  },
  run: (args, context) => installOrRepair(args, context, "install"),
};

/** Install and repair share everything but their defaults and their words. */
export async function installOrRepair(
  args: CommandArgs,
  context: CliContext,
  verb: "install" | "repair",
): Promise<number> {
  const { values } = args;
  const setup = await endpointSetup(args, context);
  const system = { ...context, host: setup.host };
  const { plan, token } = await planInstallOrRepair({
    system,
    verb,
    loaded: setup.loaded,
    policy: setup.policy,
    mode: setup.mode,
    paths: setup.paths,
    controllerOn: setup.controllerOn,
    version: VERSION,
    harnesses: values.harness as string[] | undefined,
    includeCodexSpans: values["include-codex-spans"] as boolean | undefined,
    force: values.force === true,
    rotateToken: values["rotate-token"] === true,
  }).catch((error) => {
    throw error instanceof HarnessChoiceError ? new UsageError(error.message) : error;
  });
  const json = values.json === true;
  const conflictsLeft = summarizePlan(plan).conflicts;
  const render = () =>
    renderPlan(plan, { host: setup.host, forceCommand: `beacon endpoint ${verb}` });
  if (values.plan) {
    context.stdout(json ? planJson(plan, { mask: true }) : render());
    if (planHasChanges(plan)) return EXIT.changes;
    return conflictsLeft ? EXIT.attention : EXIT.ok;
  }

  if (!json) context.stdout(render());
  const { steps, testEvent } = await applyInstallOrRepair({
    system,
    plan,
    token,
    controllerOn: setup.controllerOn,
  });
  const logPath = plan.endpoint.config.runtimeLogPath;
  if (json) {
    context.stdout(
      planJson(plan, {
        mask: true,
        extra: {
          ok: true,
          needsAttention: conflictsLeft > 0,
          steps,
          runtimeLogPath: logPath,
          testEvent,
        },
      }),
    );
  } else {
    for (const step of steps) context.stdout(`  ${step}\n`);
    context.stdout(
      `\nThe collector answers at ${plan.endpoint.config.collectorUrl} and a test event reached ` +
        `the runtime log in ${testEvent?.milliseconds ?? "?"} ms.\n` +
        `Events are written to ${logPath}\n`,
    );
    if (conflictsLeft) {
      context.stdout("\n" + renderConflictsLeft(settingsPlanOf(plan), `beacon endpoint ${verb}`));
    }
  }
  // As `beacon apply`: installed, but what was left alone keeps the machine off the policy.
  return conflictsLeft ? EXIT.attention : EXIT.ok;
}
