import type { Command } from "../../command.ts";
import { endpointInstallCommand, installOrRepair } from "./endpoint_install_command.ts";

/** `beacon endpoint repair`: compute the plan again from scratch and apply it. */
export const endpointRepairCommand: Command = {
  words: ["endpoint", "repair"],
  summary: "Plan again from scratch and apply: fix drift, restart a collector that is down",
  description:
    "The same plan as install, computed from what is on the machine now: harness settings that\n" +
    "drifted are written again, a missing log folder is recreated, and a collector that is not\n" +
    "running is started (or restarted when its definition changed). It keeps the harnesses and\n" +
    "--include-codex-spans of the last install unless given again. If the repair fails, the\n" +
    "previous configuration is restored.\n\n" +
    "Settings someone else made before Beacon took them are conflicts, left alone unless --force.\n" +
    "--rotate-token replaces the collector token Beacon generated for this machine (when the\n" +
    "policy sets no collector.token): the new one is written to the token file and Codex's\n" +
    "exporter headers, and the collector restarts to require it.\n\n" +
    "Exit codes: 0 repaired or nothing to repair, 2 (--plan) changes to make, 3 repaired but\n" +
    "conflicts were left alone (--plan: only conflicts), 1 failed.",
  options: {
    ...endpointInstallCommand.options,
    "rotate-token": {
      type: "boolean",
      description: "Replace the machine's generated collector token (never printed).",
    },
  },
  run: (args, context) => installOrRepair(args, context, "repair"),
};
