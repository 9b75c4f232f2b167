import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS, endpointSetup } from "../../endpoint_setup.ts";
import { readEndpointConfig } from "../../../endpoint/endpoint_config.ts";
import { runtimeLogPathOf } from "../../../endpoint/endpoint_paths.ts";
import { collectorServicePaths } from "../../../endpoint/service/collector_service_paths.ts";
import { uninstallEndpoint } from "../../../endpoint/uninstall_endpoint.ts";

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
    "--purge. Running it twice is harmless.\n\n" +
    "Exit codes: 0 done, 3 done but some settings were left alone (edited since), 1 error.",
  options: {
    ...ENDPOINT_COMMON_OPTIONS,
    purge: {
      type: "boolean",
      description: "Also delete the runtime log, its archives and the collector's output.",
    },
  },
  async run(args, context) {
    const setup = await endpointSetup(args, context);
    const installed = await readEndpointConfig(context.fs, setup.paths).catch(() => undefined);
    const result = await uninstallEndpoint({
      host: setup.host,
      fs: context.fs,
      loaded: setup.loaded,
      paths: setup.paths,
      controller: setup.controllerOn(context.fs),
      runtimeLogPath: installed?.runtimeLogPath ??
        runtimeLogPathOf(setup.policy, setup.mode, setup.host),
      collectorLogPath: collectorServicePaths(setup.mode, setup.host).logFile,
      purge: args.values.purge === true,
    });
    const { done, kept, conflicts } = result;
    if (args.values.json) {
      context.stdout(JSON.stringify({ done, kept, conflicts }, null, 2) + "\n");
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
      if (conflicts) {
        context.stdout(
          `${conflicts} setting(s) were edited since Beacon wrote them and were left as they are.\n`,
        );
      }
    }
    return conflicts ? EXIT.attention : EXIT.ok;
  },
};
