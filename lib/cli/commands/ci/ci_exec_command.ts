import type { Command } from "../../command.ts";
import { EXIT } from "../../exit_codes.ts";
import { startCiRun } from "../../../ci/start_ci_run.ts";
import { publishCiStart } from "../../../ci/publish_ci_start.ts";
import { finishCiRun } from "../../../ci/finish_ci_run.ts";
import { formatGithubMasks } from "../../../ci/format_ci_variables.ts";
import {
  CI_GATE_OPTIONS,
  CI_START_OPTIONS,
  ciGateOverrides,
  ciStartOptions,
} from "./ci_options.ts";
import { reportCiFinish } from "./ci_finish_command.ts";

/** `beacon ci exec -- CMD ARGS...`: start, run the command, finish. */
export const ciExecCommand: Command = {
  words: ["ci", "exec"],
  summary: "Record a CI run around one command: ci start, the command, ci finish",
  positionals: { names: ["CMD", "[ARGS...]"], required: 1, afterDoubleDash: true },
  description: "Starts the run as `beacon ci start` does, runs CMD with CODEX_HOME and\n" +
    "CLAUDE_CONFIG_DIR (each harness the run prepared), OTEL_RESOURCE_ATTRIBUTES and\n" +
    "BEACON_CI_STATE set (e.g. `beacon ci exec -- claude -p PROMPT`; its output streams\n" +
    "through unchanged; SIGINT and SIGTERM are passed on to it), then finishes as\n" +
    "`beacon ci finish` does, printing\n" +
    "the summary on stderr (with --json, as JSON on stdout after the command's output). On\n" +
    "GitHub Actions the outputs go to $GITHUB_OUTPUT (the token's ::add-mask:: to stdout);\n" +
    "$GITHUB_ENV is left alone.\n\n" +
    "Exit codes: the command's when it is not 0 (128+N when signal N killed it), else those\n" +
    "of `beacon ci finish` (0 ok, 1 error, 3 a gate failed).",
  options: {
    ...CI_START_OPTIONS,
    ...CI_GATE_OPTIONS,
    json: { type: "boolean", description: "Print the summary as JSON on stdout." },
  },
  async run({ values, positionals }, context) {
    const gates = ciGateOverrides(values, "beacon ci exec");
    const progress = (line: string) => context.stderr(line + "\n");
    const started = await startCiRun(context, {
      ...ciStartOptions(values, "beacon ci exec"),
      progress,
    });
    if (context.host.env.GITHUB_ACTIONS === "true") {
      context.stdout(formatGithubMasks(started.secrets));
    }
    await publishCiStart(context, started, { env: false });
    for (const warning of started.warnings) context.stderr(`warning: ${warning}\n`);
    const [command, ...args] = positionals;
    let code: number;
    try {
      code = await context.processes.runAttached(command, args, {
        env: started.env,
        forwardSignals: ["SIGINT", "SIGTERM"],
      });
    } catch (error) {
      context.stderr(`error: ${(error as Error).message}\n`);
      code = EXIT.error;
    }
    let finished: number;
    try {
      const result = await finishCiRun(context, {
        statePath: started.statePath,
        gates,
        progress,
      });
      finished = await reportCiFinish(result, context, {
        json: values.json === true,
        to: values.json ? "stdout" : "stderr",
      });
    } catch (error) {
      context.stderr(`error: ${(error as Error).message}\n`);
      finished = EXIT.error;
    }
    return code !== 0 ? code : finished;
  },
};
