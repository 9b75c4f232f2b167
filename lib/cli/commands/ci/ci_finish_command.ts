import type { Command } from "../../command.ts";
import type { CliContext } from "../../cli_context.ts";
import { EXIT } from "../../exit_codes.ts";
import { type CiFinishResult, finishCiRun } from "../../../ci/finish_ci_run.ts";
import { publishCiFinish } from "../../../ci/publish_ci_finish.ts";
import { renderCiSummaryText } from "../../../ci/render_ci_summary.ts";
import { CiStateError } from "../../../ci/ci_state.ts";
import { CI_GATE_OPTIONS, ciGateOverrides } from "./ci_options.ts";

/** `beacon ci finish`: stop the run's collector, summarise its events, apply the gates. */
export const ciFinishCommand: Command = {
  words: ["ci", "finish"],
  summary: "Stop recording a CI run, summarise what the agents did, and apply the gates",
  description:
    "Stops the run's collector (SIGTERM: every acknowledged event is synced; SIGKILL after\n" +
    "10 s), removes the run's token, and summarises the run's log and its archives: sessions,\n" +
    "prompts, commands, files changed, MCP calls, approvals and denials, failures, tokens per\n" +
    "session and per model. Text on stdout (or --json); Markdown in <base>/summary.md, appended\n" +
    "to $GITHUB_STEP_SUMMARY, with summary-path in $GITHUB_OUTPUT. Gates come from the\n" +
    "policy's [ci] table unless these flags say otherwise.\n\n" +
    "Exit codes: 0 done (gates passed, or failed with --require-telemetry=false), 1 error (no\n" +
    "state, already finished, log missing), 3 a gate failed.",
  options: {
    state: {
      type: "string",
      valueName: "PATH",
      description: "The run's state.json (default: $BEACON_CI_STATE).",
    },
    json: { type: "boolean", description: "Print the summary as JSON." },
    ...CI_GATE_OPTIONS,
  },
  async run({ values }, context) {
    const gates = ciGateOverrides(values, "beacon ci finish");
    const statePath = (values.state as string | undefined) ?? context.host.env.BEACON_CI_STATE;
    if (!statePath) {
      throw new CiStateError(
        "Cannot finish the CI run: no state given. Pass --state PATH (the state-path " +
          "`beacon ci start` printed) or set BEACON_CI_STATE; run `beacon ci start` first.",
      );
    }
    const result = await finishCiRun(context, {
      statePath,
      gates,
      progress: (line) => context.stderr(line + "\n"),
    });
    return await reportCiFinish(result, context, { json: values.json === true, to: "stdout" });
  },
};

/**
 * Publishes and prints a finished run (`ci finish`, and `ci exec` after its command) and returns
 * the exit code its gates decide.
 */
export async function reportCiFinish(
  result: CiFinishResult,
  context: CliContext,
  options: { json: boolean; to: "stdout" | "stderr" },
): Promise<number> {
  await publishCiFinish(context, result);
  const print = options.to === "stdout" ? context.stdout : context.stderr;
  print(
    options.json ? JSON.stringify(result.json, null, 2) + "\n" : renderCiSummaryText(result.report),
  );
  const { gates } = result.report;
  for (const failed of gates.results.filter((gate) => !gate.passed)) {
    context.stderr(
      `${gates.fails_run ? "error" : "warning"}: CI gate ${failed.gate} failed: expected ` +
        `${failed.expected}, saw ${failed.seen}` +
        (gates.fails_run ? "" : " (require_telemetry = false: not failing the run)") + "\n",
    );
  }
  return gates.fails_run ? EXIT.attention : EXIT.ok;
}
