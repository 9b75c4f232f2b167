/**
 * Runs the real Codex CLI (`@openai/codex@0.169.0` from `tools/`) offline against
 * {@linkcode startMockModelProvider}, isolated from the developer's own Codex setup.
 *
 * Findings from running Codex 0.169.0 in this container (root, no network):
 * - `codex exec` never prompts: its approval policy is `never` and its default sandbox is
 *   `read-only`. The sandbox is real here: Codex falls back to its bundled bubblewrap (it warns
 *   that none is on PATH) and a command that writes, even into the working directory, gets
 *   "Read-only file system". Read-only commands such as `echo` run with no flags at all.
 * - `-s workspace-write` lets commands and patches write in the working directory (and /tmp);
 *   writes elsewhere still fail. `-s danger-full-access` and
 *   `--dangerously-bypass-approvals-and-sandbox` run unsandboxed.
 * - An approval only happens when the model asks to leave the sandbox: `exec_command` arguments
 *   with `"sandbox_permissions": "require_escalated"` and a `justification` (the mock's
 *   `escalationJustification` option). Plain `codex exec` refuses such a call by policy;
 *   `--approve-for-me` switches to policy `on-request` with the `workspace-write` sandbox and
 *   sends the request to the automated reviewer (a second model conversation), whose verdict
 *   becomes `codex.tool_decision` with `source = AutomatedReviewer`. On allow the command runs
 *   unsandboxed; on deny the tool output is "This action was rejected due to unacceptable risk".
 *   Either way the run exits 0.
 * - A model Codex does not know gets no `apply_patch` tool, but Codex intercepts
 *   `apply_patch <<'EOF' ... EOF` given to `exec_command` and applies it through its patch engine
 *   (`-s workspace-write` or wider needed to write).
 * - With CODEX_HOME under /tmp Codex warns "Refusing to create helper binaries under temporary
 *   dir" on stderr and carries on.
 * - `--strict-config` is honoured by `codex exec` and `codex exec`-like commands only (`codex
 *   features` refuses it, `codex doctor` ignores it), so a strict check is a full (cheap, about
 *   0.5 s) `codex exec` turn against the mock.
 * - A whole one-tool turn takes about 0.4 to 0.6 s; Codex then exits at once unless an OTLP
 *   exporter is pending.
 *
 * @module
 */

import { CLI_TIMEOUT_MS, type CliRunResult, runCliProcess } from "./run_cli_process.ts";

const REPO_ROOT = new URL("../../", import.meta.url);

/** Default for {@linkcode RunCodexExecOptions.timeoutMs}. */
export const CODEX_TIMEOUT_MS = CLI_TIMEOUT_MS;

/** Environment variable that carries the mock provider's API key (`env_key`). */
export const MOCK_API_KEY_ENV = "MOCK_API_KEY";

/** Model name written by {@linkcode mockProviderToml}. */
export const MOCK_MODEL = "mock-model";

/**
 * Path of the Codex CLI: `$BEACON_CODEX_BIN` when set, else `tools/node_modules/.bin/codex` in
 * this repository (install it with `npm ci --prefix tools`).
 */
export function codexBinary(): string {
  const fromEnv = Deno.env.get("BEACON_CODEX_BIN");
  if (fromEnv) return fromEnv;
  return new URL("tools/node_modules/.bin/codex", REPO_ROOT).pathname;
}

/**
 * The top of a `$CODEX_HOME/config.toml` that points Codex at the mock provider: `model`,
 * `model_provider`, the `[model_providers.mock]` table, and `[analytics] enabled = false` so a
 * test run never reports usage analytics. Append further tables (such as `[otel]`) after it.
 *
 * Without an `[otel]` table Codex still exports metrics to OpenAI (statsig) when the network is
 * reachable; add `[otel]` with `metrics_exporter = "none"` to stop that.
 *
 * @example
 * ```ts
 * const toml = mockProviderToml("http://127.0.0.1:4000/v1") +
 *   '\n[otel]\nmetrics_exporter = "none"\n';
 * ```
 */
export function mockProviderToml(baseUrl: string): string {
  return [
    `model = ${JSON.stringify(MOCK_MODEL)}`,
    `model_provider = "mock"`,
    ``,
    `[model_providers.mock]`,
    `name = "Mock Responses"`,
    `base_url = ${JSON.stringify(baseUrl)}`,
    `wire_api = "responses"`,
    `env_key = ${JSON.stringify(MOCK_API_KEY_ENV)}`,
    ``,
    `[analytics]`,
    `enabled = false`,
    ``,
  ].join("\n");
}

/** Temporary directories for one Codex run: a `CODEX_HOME` and a working directory. */
export interface CodexWorkspace extends AsyncDisposable {
  /** Parent of the two directories; removed by `remove()` / `await using`. */
  readonly root: string;
  readonly codexHome: string;
  readonly cwd: string;
  /** Writes `$CODEX_HOME/config.toml`. */
  writeConfig(toml: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Creates a fresh {@linkcode CodexWorkspace} under the system temporary directory.
 *
 * @example
 * ```ts
 * import { startMockModelProvider } from "./mock_model_provider.ts";
 * const provider = await startMockModelProvider({ finalAnswer: "Done." });
 * await using workspace = await createCodexWorkspace();
 * await workspace.writeConfig(mockProviderToml(provider.baseUrl));
 * const result = await runCodexExec({ ...workspace, prompt: "hello" });
 * ```
 */
export async function createCodexWorkspace(): Promise<CodexWorkspace> {
  const root = await Deno.makeTempDir({ prefix: "beacon-codex-" });
  const codexHome = `${root}/codex-home`;
  const cwd = `${root}/work`;
  await Deno.mkdir(codexHome);
  await Deno.mkdir(cwd);
  const remove = () => Deno.remove(root, { recursive: true }).catch(() => {});
  return {
    root,
    codexHome,
    cwd,
    writeConfig: (toml) => Deno.writeTextFile(`${codexHome}/config.toml`, toml),
    remove,
    [Symbol.asyncDispose]: remove,
  };
}

/** Options for {@linkcode runCodexExec}. */
export interface RunCodexExecOptions {
  /** Directory used as `CODEX_HOME` (holds `config.toml`); must exist. */
  codexHome: string;
  /** Working directory of the run (Codex's workspace). */
  cwd: string;
  prompt: string;
  /**
   * Extra environment variables. `HOME` defaults to a fresh temporary directory removed after
   * the run, so the developer's `~/.codex` is never read or written.
   */
  env?: Record<string, string>;
  /** Extra `codex exec` flags, placed before the prompt (e.g. `["--approve-for-me"]`). */
  args?: string[];
  /** The process group is sent SIGTERM after this long, SIGKILL 5 s later. */
  timeoutMs?: number;
}

/** Outcome of a Codex process. */
export type CodexRunResult = CliRunResult;

/**
 * Runs `codex exec --skip-git-repo-check [args] PROMPT` with stdin closed, a clean environment
 * (PATH, HOME, CODEX_HOME, MOCK_API_KEY, NO_COLOR, LANG plus `env`) and a timeout that kills the
 * whole process group. Always resolves once the process has exited.
 */
export async function runCodexExec(options: RunCodexExecOptions): Promise<CodexRunResult> {
  return await runCodex(
    ["exec", "--skip-git-repo-check", ...(options.args ?? []), options.prompt],
    options,
  );
}

async function runCodex(
  args: string[],
  options: Omit<RunCodexExecOptions, "prompt" | "args">,
): Promise<CodexRunResult> {
  const ownHome = options.env?.HOME === undefined
    ? await Deno.makeTempDir({ prefix: "beacon-codex-home-" })
    : undefined;
  try {
    return await runCliProcess(codexBinary(), args, {
      cwd: options.cwd,
      env: {
        [MOCK_API_KEY_ENV]: "beacon-test-key",
        ...(ownHome ? { HOME: ownHome } : {}),
        ...options.env,
        CODEX_HOME: options.codexHome,
      },
      timeoutMs: options.timeoutMs ?? CODEX_TIMEOUT_MS,
    });
  } finally {
    if (ownHome) await Deno.remove(ownHome, { recursive: true }).catch(() => {});
  }
}

/** Verdict of {@linkcode checkCodexAcceptsConfig}. */
export interface ConfigCheck {
  accepted: boolean;
  /** Codex's error (e.g. "config.toml:11:1: unknown configuration field `otel.bogus_key`"), or "". */
  message: string;
}

/**
 * Asks the real Codex whether `$codexHome/config.toml` is valid, strictly: unknown keys are
 * errors. Runs one `codex exec --strict-config --ephemeral` turn (nothing cheaper validates the
 * whole file strictly) whose model requests go to the mock at `baseUrl` through `-c` overrides, so
 * the file itself needs no provider section. An `[otel]` exporter in the file is used for real
 * and an unreachable one delays the answer (up to 30 s).
 */
export async function checkCodexAcceptsConfig(
  codexHome: string,
  baseUrl: string,
): Promise<ConfigCheck> {
  const cwd = await Deno.makeTempDir({ prefix: "beacon-codex-check-" });
  try {
    const provider = `{ name = "Beacon config check", base_url = ${
      JSON.stringify(baseUrl)
    }, wire_api = "responses", env_key = "${MOCK_API_KEY_ENV}" }`;
    const result = await runCodex([
      "exec",
      "--strict-config",
      "--ephemeral",
      "--skip-git-repo-check",
      "-c",
      `model=${JSON.stringify(MOCK_MODEL)}`,
      "-c",
      `model_provider="beacon_config_check"`,
      "-c",
      `model_providers.beacon_config_check=${provider}`,
      "Reply with OK.",
    ], { codexHome, cwd });
    if (result.code === 0) return { accepted: true, message: "" };
    return { accepted: false, message: codexErrorMessage(result) };
  } finally {
    await Deno.remove(cwd, { recursive: true }).catch(() => {});
  }
}

/** The part of Codex's stderr that explains a failure, without warnings and backtraces. */
function codexErrorMessage(result: CodexRunResult): string {
  if (result.timedOut) return `Codex did not finish within its timeout`;
  const lines = result.stderr.split("\n");
  const start = lines.findIndex((line) => /^(Error|error)\b/.test(line));
  const relevant = start >= 0 ? lines.slice(start) : lines;
  const end = relevant.findIndex((line) => line.startsWith("Stack backtrace:"));
  const message = (end >= 0 ? relevant.slice(0, end) : relevant)
    .filter((line) => !line.startsWith("WARNING:"))
    .join("\n")
    .trim();
  return message || `Codex exited with code ${result.code}`;
}
