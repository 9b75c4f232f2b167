import type { System } from "../host/system.ts";
import { appendToFile } from "./append_to_file.ts";
import { formatGithubFileEntries } from "./format_ci_variables.ts";
import type { CiFinishResult } from "./finish_ci_run.ts";

/**
 * Hands a finished run's summary to GitHub Actions when its files are there: the Markdown
 * appended to `$GITHUB_STEP_SUMMARY`, and `summary-path` (the run's `summary.md`) to
 * `$GITHUB_OUTPUT`.
 */
export async function publishCiFinish(
  { host, fs }: Pick<System, "host" | "fs">,
  result: CiFinishResult,
): Promise<void> {
  const env = host.env;
  if (env.GITHUB_STEP_SUMMARY) {
    await appendToFile(fs, "GITHUB_STEP_SUMMARY", env.GITHUB_STEP_SUMMARY, result.markdown + "\n");
  }
  if (env.GITHUB_OUTPUT) {
    await appendToFile(
      fs,
      "GITHUB_OUTPUT",
      env.GITHUB_OUTPUT,
      formatGithubFileEntries({ "summary-path": result.summaryPath }),
    );
  }
}
