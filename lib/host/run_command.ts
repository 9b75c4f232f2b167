/**
 * Runs a program to completion with a deadline: the one way Beacon starts a process and waits
 * for it (`codex --version` probes, `systemctl`, `launchctl`). Code that runs programs takes a
 * {@link CommandRunner} (from the `System`), so dry runs and tests record or stub every call.
 *
 * @module
 */
import { concatBytes } from "../bytes/concat_bytes.ts";
import { signalNumber } from "./signal_number.ts";

/** What a finished (or stopped) command produced. */
export interface CommandResult {
  /**
   * The exit code. Like a shell: 127 when the program does not exist, 126 when it cannot be
   * run, 124 when it was stopped at the deadline, 128 + N when a signal N ended it.
   */
  code: number;
  /** Standard output, decoded as UTF-8 (at most {@link MAX_OUTPUT_BYTES} bytes are kept). */
  stdout: string;
  /** Standard error, or the reason the program could not start. */
  stderr: string;
  /** True when the program was killed because it did not finish before the deadline. */
  timedOut?: boolean;
}

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /**
   * How long the program may run before it (and every process it started) is killed; default
   * {@link DEFAULT_COMMAND_TIMEOUT_MS}.
   */
  timeoutMs?: number;
  /** Variables to set for the program, over this process's environment. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The shape of {@link runCommand}: what the System's `run` is, and what tests fake. */
export type CommandRunner = (
  cmd: string,
  args: readonly string[],
  options?: RunCommandOptions,
) => Promise<CommandResult>;

/** How long a program may take by default (`systemctl`, `launchctl`) before it is stopped. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

/** Output beyond this many bytes per stream is discarded: a probe only needs the first lines. */
export const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * Runs `cmd` with `args`, stdin closed, and collects its output. Never throws for a program
 * that is missing, not executable, failing or hanging: that is reported in the result (so a
 * probe such as `systemctl --user is-system-running` simply answers "no"). At the deadline the
 * whole process group is killed, so a wrapper script's children (which would otherwise hold the
 * output pipes open) go too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCommand } from "./run_command.ts";
 *
 * const result = await runCommand("sh", ["-c", "echo hi"], { timeoutMs: 5000 });
 * assert.ok(result.code === 0 && result.stdout === "hi\n");
 * ```
 */
export async function runCommand(
  cmd: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value !== undefined) env[key] = value;
  }
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args: [...args],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      // Its own process group, so the deadline can kill everything it started.
      detached: Deno.build.os !== "windows",
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${cmd}: command not found` };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { code: 126, stdout: "", stderr: `${cmd}: cannot run: ${reason}` };
  }

  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  });
  try {
    // The deadline covers the output too: a background child can hold the pipes after the
    // program itself has exited.
    const finished = Promise.all([child.status, stdout.text, stderr.text]);
    const outcome = await Promise.race([finished, deadline]);
    if (outcome === "timeout") {
      killGroup(child);
      stdout.cancel();
      stderr.cancel();
      await child.status;
      const [out, err] = await Promise.all([stdout.text, stderr.text]);
      return { code: 124, stdout: out, stderr: err, timedOut: true };
    }
    const [status, out, err] = outcome;
    const code = status.signal ? 128 + signalNumber(status.signal) : status.code;
    return { code, stdout: out, stderr: err };
  } finally {
    clearTimeout(timer);
  }
}

function killGroup(child: Deno.ChildProcess): void {
  try {
    if (Deno.build.os !== "windows") Deno.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

function collect(stream: ReadableStream<Uint8Array>): { text: Promise<string>; cancel(): void } {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  const text = (async () => {
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (kept < MAX_OUTPUT_BYTES) {
          const part = value.subarray(0, MAX_OUTPUT_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        }
      }
    } catch {
      // Cancelled after a timeout, or the pipe broke: keep what arrived.
    }
    return new TextDecoder().decode(concatBytes(chunks, kept));
  })();
  return { text, cancel: () => void reader.cancel().catch(() => {}) };
}
