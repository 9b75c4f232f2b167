import type { Command, CommandArgs } from "../../command.ts";
import type { CliContext } from "../../cli_context.ts";
import { EXIT } from "../../exit_codes.ts";
import { VERSION } from "../../version.ts";
import { UsageError } from "../../usage_error.ts";
import { closestMatch } from "../../../text/closest_match.ts";
import { HARNESS_ADAPTERS, HARNESS_NAMES } from "../../../harness/harness_adapters.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { withCodexSpans } from "../../../policy/with_codex_spans.ts";
import { renderPlan } from "../../render_plan.ts";
import { planJson } from "../../plan_json.ts";
import { renderConflictsLeft } from "../../render_conflicts_left.ts";
import { planHasChanges, settingsPlanOf, summarizePlan } from "../../../reconcile/plan.ts";
import { planEndpoint } from "../../../endpoint/plan_endpoint.ts";
import { applyEndpointPlan } from "../../../endpoint/apply_endpoint_plan.ts";
import { verifyCollector } from "../../../endpoint/verify_collector.ts";
import {
  DISCOVERED_HARNESS_NAMES,
  discoverHarnesses,
  type HarnessDiscovery,
} from "../../../endpoint/probe/discover_harnesses.ts";
import { readEndpointConfig } from "../../../endpoint/endpoint_config.ts";
import type { TestEventResult } from "../../../endpoint/send_test_event.ts";

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
  const previous = await readEndpointConfig(context.fs, setup.paths).catch(() => undefined);
  const includeCodexSpans = values["include-codex-spans"] === true ||
    (verb === "repair" && values["include-codex-spans"] === undefined &&
      previous?.includeCodexSpans === true);
  // The troubleshooting override changes only the policy: the setup (mode, service manager)
  // is the same.
  const policy = includeCodexSpans ? withCodexSpans(setup.policy) : setup.policy;
  const discovery = await discoverHarnesses(setup.host, {
    fs: context.fs,
    run: context.run,
  }, { beaconAddresses: [setup.policy.collector.listen, setup.policy.collector.grpc_listen] });
  const harnesses = chooseHarnesses(
    values.harness as string[] | undefined,
    discovery,
    verb === "repair" ? previous?.harnesses : undefined,
  );
  const controller = setup.controllerOn(context.fs);
  const { plan, token } = await planEndpoint({
    loaded: setup.loaded,
    policy: policy,
    mode: setup.mode,
    host: setup.host,
    fs: context.fs,
    harnesses: harnesses.names,
    includeCodexSpans,
    force: values.force === true,
    version: VERSION,
    controller,
    rotateToken: verb === "repair" && values["rotate-token"] === true,
  });
  plan.notes.push(...harnesses.notes);
  const json = values.json === true;
  const conflictsLeft = summarizePlan(plan).conflicts;
  const render = () =>
    renderPlan(plan, { host: setup.host, forceCommand: `beacon endpoint ${verb}` });
  if (values.plan) {
    context.stdout(json ? planJson(plan, { mask: true }) : render());
    if (planHasChanges(plan)) return EXIT.changes;
    return conflictsLeft ? EXIT.attention : EXIT.ok;
  }

  await context.fs.ensureDir(setup.paths.stateDir, 0o700);
  const lock = await context.fs.lock(setup.paths.lockPath);
  const steps: string[] = [];
  let testEvent: TestEventResult | undefined;
  try {
    if (!json) context.stdout(render());
    await applyEndpointPlan({
      plan,
      fs: context.fs,
      controllerOn: setup.controllerOn,
      onStep: (step, detail) => steps.push(`${step}: ${detail}`),
      verify: async () => {
        testEvent = await verifyCollector({
          collectorUrl: plan.endpoint.config.collectorUrl,
          token,
          runtimeLogPath: plan.endpoint.config.runtimeLogPath,
        });
      },
    });
  } finally {
    await lock.release();
  }
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

const MANAGED: readonly string[] = HARNESS_NAMES;
const KNOWN: readonly string[] = [...new Set([...HARNESS_NAMES, ...DISCOVERED_HARNESS_NAMES])];

function chooseHarnesses(
  asked: string[] | undefined,
  discovery: HarnessDiscovery[],
  previous: string[] | undefined,
): { names: string[]; notes: string[] } {
  if (asked?.length) {
    for (const name of asked) {
      if (!KNOWN.includes(name)) {
        const suggestion = closestMatch(name, KNOWN);
        throw new UsageError(
          `unknown harness "${name}"` +
            (suggestion ? `; did you mean "${suggestion}"?` : `; known: ${KNOWN.join(", ")}`),
        );
      }
      if (!MANAGED.includes(name)) {
        throw new UsageError(
          `Beacon does not manage ${name} yet; it manages: ${MANAGED.join(", ")}`,
        );
      }
    }
    return { names: [...new Set(asked)], notes: [] };
  }
  if (previous) return { names: previous, notes: [] };
  const found = discovery.filter((item) => item.managed && item.detected).map((item) => item.name);
  const notes = discovery.filter((item) => !item.managed && item.detected).map((item) =>
    `${item.displayName} was found but is not managed by Beacon yet.`
  );
  if (!found.length) {
    notes.push(
      `No supported harness was found (${
        HARNESS_ADAPTERS.map((adapter) => adapter.displayName).join(", ")
      }: none on PATH or configured here). The collector is installed anyway; run ` +
        "`beacon endpoint install --harness NAME` once one is there.",
    );
  }
  return { names: found, notes };
}
