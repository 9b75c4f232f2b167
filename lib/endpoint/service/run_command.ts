import { type CommandResult, runCommand as runWithDeadline } from "../probe/run_command.ts";

/** What a finished command returned: the probes' result (127 when the program is missing). */
export type { CommandResult };

/**
 * Runs a program and collects its output. Service code takes one as a parameter so tests can
 * stub `systemctl` and `launchctl` and record what would have run.
 */
export type CommandRunner = (command: string, args: string[]) => Promise<CommandResult>;

/** How long `systemctl` or `launchctl` may take before it is stopped and reported as failed. */
export const SERVICE_COMMAND_TIMEOUT_MS = 60_000;

/**
 * Runs `command` with `args` on the real machine (stdin closed, output collected), through the
 * probes' runner: a program that is not installed is exit code 127 with a message on stderr,
 * not an exception, so probes such as `systemctl --user is-system-running` simply answer "no";
 * one that hangs is stopped after {@link SERVICE_COMMAND_TIMEOUT_MS} (exit code 124).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCommand } from "./run_command.ts";
 * const result = await runCommand("sh", ["-c", "echo hi"]);
 * assert.ok(result.code === 0 && result.stdout === "hi\n");
 * ```
 */
export const runCommand: CommandRunner = (command, args) =>
  runWithDeadline(command, args, { timeoutMs: SERVICE_COMMAND_TIMEOUT_MS });
