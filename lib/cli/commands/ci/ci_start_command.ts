import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { startCiRun } from "../../../ci/start_ci_run.ts";
import { publishCiStart } from "../../../ci/publish_ci_start.ts";
import { formatGithubMasks, formatShellExports } from "../../../ci/format_ci_variables.ts";
import { CI_START_OPTIONS, ciStartOptions } from "./ci_options.ts";

/** `beacon ci start`: the run's own collector and harness configs, handed to the CI system. */
export const ciStartCommand: Command = {
  words: ["ci", "start"],
  summary: "Start recording a CI run: its own collector, log, CODEX_HOME and CLAUDE_CONFIG_DIR",
  description:
    "Makes the run's folder (state.json, logs/runtime.jsonl, collector.log and, for each harness\n" +
    "the policy enables or --harness names, its own config written from the policy:\n" +
    "codex-home/config.toml for Codex, claude-config/settings.json for Claude Code) and starts\n" +
    "the run's own collector, detached, on a free 127.0.0.1 port with a random token, ready\n" +
    "before this returns. The runner's ~/.codex and ~/.claude are only read (--inherit-config).\n" +
    "On GitHub Actions the outputs codex-home, claude-config-dir, log-path, state-path and\n" +
    "collector-url go to $GITHUB_OUTPUT, and CODEX_HOME, CLAUDE_CONFIG_DIR, BEACON_CI_STATE and\n" +
    "OTEL_RESOURCE_ATTRIBUTES (the run context) to $GITHUB_ENV; the token is masked in the\n" +
    'job\'s log. Elsewhere it prints export lines: eval "$(beacon ci start)". Stop with\n' +
    "`beacon ci finish`.\n\n" +
    "Exit codes: 0 started, 1 error (nothing left running).",
  options: {
    ...CI_START_OPTIONS,
    json: { type: "boolean", description: "Print the outputs and variables as JSON." },
  },
  async run({ values }, context) {
    const result = await startCiRun(context, {
      ...ciStartOptions(values, "beacon ci start"),
      progress: (line) => context.stderr(line + "\n"),
    });
    if (context.host.env.GITHUB_ACTIONS === "true") {
      context.stdout(formatGithubMasks(result.secrets));
    }
    const { githubEnv } = await publishCiStart(context, result);
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
        (githubEnv
          ? ` (${
            result.state.harnesses.map((harness) => harness.variable).join(" and ")
          } set for the next steps)`
          : "") +
        "\n",
    );
    return EXIT.ok;
  },
};
