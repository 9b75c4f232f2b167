import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { ENDPOINT_COMMON_OPTIONS } from "../../endpoint_setup.ts";
import { loadPolicy } from "../../../policy/load_policy.ts";
import { discoverHarnesses } from "../../../endpoint/probe/discover_harnesses.ts";

/** `beacon endpoint discover`: which agent harnesses are on this machine. Reads only. */
export const endpointDiscoverCommand: Command = {
  words: ["endpoint", "discover"],
  summary: "Find the AI coding agents on this machine and how their telemetry is set up",
  description:
    "Looks for Codex CLI (the `codex` program on PATH and its version, $CODEX_HOME or ~/.codex,\n" +
    "whether config.toml exists, parses, and where it exports telemetry), and for Claude Code,\n" +
    "Gemini CLI and Copilot CLI, which are reported as found but not managed yet. Changes\n" +
    "nothing.\n\nExit codes: 0 done, 1 error.",
  options: ENDPOINT_COMMON_OPTIONS,
  async run({ values }, context) {
    const { policy } = await loadPolicy(context, values.policy as string | undefined);
    const found = await discoverHarnesses(context.host, { fs: context.fs, run: context.run }, {
      beaconAddresses: [policy.collector.listen, policy.collector.grpc_listen],
    });
    if (values.json) {
      context.stdout(JSON.stringify({ harnesses: found }, null, 2) + "\n");
      return EXIT.ok;
    }
    for (const harness of found) {
      const status = !harness.detected
        ? "not found"
        : harness.managed
        ? "found, managed by Beacon"
        : "found, not managed by Beacon yet";
      context.stdout(`${harness.displayName}: ${status}\n`);
      if (!harness.detected) continue;
      if (harness.executable) {
        context.stdout(
          `  program: ${harness.executable}${harness.version ? ` (${harness.version})` : ""}\n`,
        );
      }
      if (harness.configPath) {
        const state = !harness.configExists
          ? "does not exist yet"
          : harness.configParses === false
          ? `is not valid: ${harness.configError}`
          : "exists";
        context.stdout(`  config: ${harness.configPath} ${state}\n`);
      }
      if (harness.telemetry) {
        const t = harness.telemetry;
        const where = t.endpoint ?? t.exporter ?? "nowhere (no exporter)";
        context.stdout(
          `  telemetry: ${where}${t.pointsAtBeacon ? " (Beacon's collector)" : ""}\n`,
        );
      }
      for (const problem of harness.problems) context.stdout(`  ! ${problem}\n`);
    }
    return EXIT.ok;
  },
};
