import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { readEndpointConfig } from "../../../endpoint/endpoint_config.ts";
import { runtimeLogPathOf } from "../../../endpoint/endpoint_paths.ts";
import { collectorServicePaths } from "../../../endpoint/service/collector_service_paths.ts";
import { uninstallEndpoint } from "../../../endpoint/uninstall_endpoint.ts";
import { planEndpointUninstall } from "../../../endpoint/plan_endpoint_uninstall.ts";
import { planHasChanges } from "../../../reconcile/plan.ts";
import { renderPlan } from "../../render_plan.ts";
import { planJson } from "../../plan_json.ts";

/** `beacon endpoint uninstall`: remove exactly what Beacon added; keep the logs unless asked. */
export const endpointUninstallCommand: Command = {
  words: ["endpoint", "uninstall"],
  summary: "Remove what Beacon added: its harness settings, the service, the endpoint files",
  description:
    "Gives each harness config back: a file nobody changed since Beacon wrote it returns byte\n" +
    "for byte to what it was before Beacon (or is removed if Beacon created it); otherwise only\n" +
    "Beacon's settings go, and the user's own earlier values come back. Stops and removes the\n" +
    "collector service, the endpoint configuration and Beacon's state. The runtime log, its\n" +
    "archives and the collector's output stay where they are (the output says where) unless\n" +
    "--purge. Only regular files are removed: a folder or link found where one of Beacon's files\n" +
    "would be is someone else's and is left alone (the output says so). --plan shows what it\n" +
    "would do, the plan it then applies. Running it twice is harmless.\n\n" +
    "Exit codes: 0 done, 3 done but something was left alone (settings edited since, a folder\n" +
    "where Beacon's file would be), 1 error; with --plan: 0 nothing to do, 2 changes to make,\n" +
    "3 only things left alone.",
  options: {
    ...ENDPOINT_COMMON_OPTIONS,
    plan: { type: "boolean", description: "Only show what uninstall would do; change nothing." },
    purge: {
      type: "boolean",
      description: "Also delete the runtime log, its archives and the collector's output.",
    },
  },
  async run(args, context) {
    const setup = await endpointSetup(args, context);
    const installed = await readEndpointConfig(context.fs, setup.paths).catch(() => undefined);
    const controller = setup.controllerOn(context.fs);
    const planned = await planEndpointUninstall({
      host: setup.host,
      fs: context.fs,
      loaded: setup.loaded,
      paths: setup.paths,
      controller,
      runtimeLogPath: installed?.runtimeLogPath ??
        runtimeLogPathOf(setup.policy, setup.mode, setup.host),
      collectorLogPath: collectorServicePaths(setup.mode, setup.host).logFile,
      purge: args.values.purge === true,
    });
    const json = args.values.json === true;
    if (args.values.plan) {
      context.stdout(
        json ? planJson(planned.plan, { mask: true }) : renderPlan(planned.plan, {
          host: setup.host,
          conflictsAdvice: "edited since Beacon wrote them; uninstall leaves them as they are",
        }),
      );
      if (planHasChanges(planned.plan)) return EXIT.changes;
      return planned.conflicts || planned.left.length ? EXIT.attention : EXIT.ok;
    }
    const result = await uninstallEndpoint({
      host: setup.host,
      fs: context.fs,
      paths: setup.paths,
      planned,
      controller,
    });
    const { done, kept, left, conflicts } = result;
    if (json) {
      context.stdout(JSON.stringify({ done, kept, left, conflicts }, null, 2) + "\n");
    } else {
      context.stdout(
        done.length
          ? done.map((line) => `${line}\n`).join("")
          : "Nothing of Beacon's was left to remove.\n",
      );
      if (kept.length) {
        context.stdout(
          kept.map((file) => `kept ${file.path} (${file.what})\n`).join("") +
            "The logs stay where they are; `beacon endpoint uninstall --purge` deletes them.\n",
        );
      }
      for (const file of left) context.stdout(`left ${file.path}: ${file.what}\n`);
      if (conflicts) {
        context.stdout(
          `${conflicts} setting(s) were edited since Beacon wrote them and were left as they are.\n`,
        );
      }
    }
    return conflicts || left.length ? EXIT.attention : EXIT.ok;
  },
};
