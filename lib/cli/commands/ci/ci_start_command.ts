import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { startCiRun } from "../../../ci/start_ci_run.ts";
import { publishCiStart } from "../../../ci/publish_ci_start.ts";
import { formatShellExports } from "../../../ci/format_ci_variables.ts";
import { CI_START_OPTIONS, ciStartOptions } from "./ci_options.ts";

/** `beacon ci start`: the run's own collector and Codex config, handed to the CI system. */
export const ciStartCommand: Command = {
  words: ["ci", "start"],
  summary: "Start recording a CI run: its own collector, log and CODEX_HOME",
  description:
    "Makes the run's folder (codex-home/config.toml written from the policy, state.json,\n" +
    "logs/runtime.jsonl, collector.log) and starts the run's own collector, detached, on a free\n" +
    "127.0.0.1 port with a random token, ready before this returns. On GitHub Actions the\n" +
    "outputs codex-home, log-path, state-path and collector-url go to $GITHUB_OUTPUT, and\n" +
    "CODEX_HOME, BEACON_CI_STATE and OTEL_RESOURCE_ATTRIBUTES (the run context) to $GITHUB_ENV.\n" +
    'Elsewhere it prints export lines: eval "$(beacon ci start)". Stop with `beacon ci finish`.\n\n' +
    "Exit codes: 0 started, 1 error (nothing left running).",
  options: {
    ...CI_START_OPTIONS,
    json: { type: "boolean", description: "Print the outputs and variables as JSON." },
  },
  async run({ values }, context) {
    const result = await startCiRun(context.host, context.fs, {
      ...ciStartOptions(values),
      progress: (line) => context.stderr(line + "\n"),
    });
    const { githubEnv } = await publishCiStart(context.host.env, result);
    for (const warning of result.warnings) context.stderr(`warning: ${warning}\n`);
    if (values.json) {
      context.stdout(
        JSON.stringify({ outputs: result.outputs, env: result.env }, null, 2) + "\n",
      );
    } else if (!githubEnv) {
      context.stdout(formatShellExports(result.env));
    }
    context.stderr(
      `beacon ci: recording to ${result.outputs["log-path"]}` +
        (githubEnv ? " (CODEX_HOME set for the next steps)" : "") + "\n",
    );
    return EXIT.ok;
  },
};
