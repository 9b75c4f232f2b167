import type { System } from "../host/system.ts";
import { appendToFile } from "./append_to_file.ts";
import { formatGithubFileEntries } from "./format_ci_variables.ts";
import type { CiStartResult } from "./start_ci_run.ts";

/**
 * Hands a started run to GitHub Actions when its files are there: the outputs (`codex-home`,
 * `log-path`, `state-path`, `collector-url`) to `$GITHUB_OUTPUT`, and, unless `env` is false
 * (`ci exec` keeps its variables to its own command), `CODEX_HOME`, `BEACON_CI_STATE` and
 * `OTEL_RESOURCE_ATTRIBUTES` to `$GITHUB_ENV` for the job's later steps. Returns whether the
 * environment went to `$GITHUB_ENV` (else the caller prints `export` lines).
 */
export async function publishCiStart(
  { host, fs }: Pick<System, "host" | "fs">,
  result: CiStartResult,
  options: { env: boolean } = { env: true },
): Promise<{ githubEnv: boolean }> {
  const env = host.env;
  if (env.GITHUB_OUTPUT) {
    await appendToFile(
      fs,
      "GITHUB_OUTPUT",
      env.GITHUB_OUTPUT,
      formatGithubFileEntries(result.outputs),
    );
  }
  if (options.env && env.GITHUB_ENV) {
    await appendToFile(fs, "GITHUB_ENV", env.GITHUB_ENV, formatGithubFileEntries(result.env));
    return { githubEnv: true };
  }
  return { githubEnv: false };
}
