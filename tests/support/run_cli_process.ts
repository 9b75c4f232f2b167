/**
 * Runs a real harness CLI (Codex, Claude Code, ...) for a test: its own process group, a clean
 * environment, stdin closed, output collected, and a timeout that ends the whole group.
 *
 * @module
 */

/** Default for {@linkcode RunCliProcessOptions.timeoutMs}. */
export const CLI_TIMEOUT_MS = 60_000;

/** Default for {@linkcode RunCliProcessOptions.killAfterMs}. */
export const CLI_KILL_AFTER_MS = 5_000;

/** Options for {@linkcode runCliProcess}. */
export interface RunCliProcessOptions {
  /** Working folder of the run. */
  cwd: string;
  /**
   * The run's environment on top of {@link cliBaseEnvironment}: nothing else of the test's own
   * is passed on.
   */
  env: Record<string, string>;
  /** The process group is sent SIGTERM after this long, then SIGKILL {@link killAfterMs} later. */
  timeoutMs?: number;
  killAfterMs?: number;
}

/** Outcome of a CLI process. */
export interface CliRunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** True when the run was ended for exceeding its timeout. */
  timedOut: boolean;
  durationMs: number;
}

/**
 * What every CLI run's environment starts with: the test's PATH (the CLI and the tools it
 * starts live there), else the usual system folders; UTF-8 text; no colours in the output.
 */
export function cliBaseEnvironment(): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    NO_COLOR: "1",
  };
}

/**
 * Runs `binary args` with {@link cliBaseEnvironment} and `env` only, stdin closed and stdout and stderr collected. The
 * process runs in its own process group (detached), so a timeout also reaches what it started
 * (the native binary behind an npm wrapper, a command it runs). Always resolves once the
 * process has exited.
 *
 * @example
 * ```ts
 * import { runCliProcess } from "./run_cli_process.ts";
 *
 * const result = await runCliProcess("sh", ["-c", "echo $GREETING"], {
 *   cwd: "/",
 *   env: { GREETING: "hello" },
 * });
 * result.stdout; // "hello\n"
 * ```
 */
export async function runCliProcess(
  binary: string,
  args: string[],
  options: RunCliProcessOptions,
): Promise<CliRunResult> {
  const started = performance.now();
  const child = new Deno.Command(binary, {
    args,
    cwd: options.cwd,
    env: { ...cliBaseEnvironment(), ...options.env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  let timedOut = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const timeoutTimer = setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid, "SIGTERM");
    killTimer = setTimeout(
      () => signalGroup(child.pid, "SIGKILL"),
      options.killAfterMs ?? CLI_KILL_AFTER_MS,
    );
  }, options.timeoutMs ?? CLI_TIMEOUT_MS);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timeoutTimer);
    clearTimeout(killTimer);
  }
}

function signalGroup(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
