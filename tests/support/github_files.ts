/**
 * GitHub Actions' runner files, simulated: a temporary folder holding `$GITHUB_OUTPUT`,
 * `$GITHUB_ENV` and `$GITHUB_STEP_SUMMARY` (and `$RUNNER_TEMP`), and a reader of the
 * `NAME=value` / `NAME<<DELIM` format the runner parses.
 */

/** The files and the variables that point at them. */
export interface GithubFiles extends AsyncDisposable {
  root: string;
  env: Record<string, string>;
  /** `$GITHUB_OUTPUT` parsed. */
  outputs(): Promise<Record<string, string>>;
  /** `$GITHUB_ENV` parsed. */
  envFile(): Promise<Record<string, string>>;
  stepSummary(): Promise<string>;
}

/** Creates the files in a new temporary folder (removed on dispose). */
export async function makeGithubFiles(): Promise<GithubFiles> {
  const root = await Deno.makeTempDir({ prefix: "beacon-gha-" });
  const env = {
    GITHUB_ACTIONS: "true",
    GITHUB_OUTPUT: `${root}/output`,
    GITHUB_ENV: `${root}/env`,
    GITHUB_STEP_SUMMARY: `${root}/step_summary.md`,
    RUNNER_TEMP: `${root}/runner-temp`,
  };
  await Deno.mkdir(env.RUNNER_TEMP);
  for (const file of [env.GITHUB_OUTPUT, env.GITHUB_ENV, env.GITHUB_STEP_SUMMARY]) {
    await Deno.writeTextFile(file, "");
  }
  return {
    root,
    env,
    outputs: async () => parseGithubFile(await Deno.readTextFile(env.GITHUB_OUTPUT)),
    envFile: async () => parseGithubFile(await Deno.readTextFile(env.GITHUB_ENV)),
    stepSummary: () => Deno.readTextFile(env.GITHUB_STEP_SUMMARY),
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** Parses a `$GITHUB_OUTPUT` / `$GITHUB_ENV` file as the runner does (later entries win). */
export function parseGithubFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end === -1) throw new Error(`unterminated ${heredoc[1]}<<${heredoc[2]}`);
      values[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`not NAME=value: ${line}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}
