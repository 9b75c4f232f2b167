/** What a finished command returned. */
export interface CommandResult {
  /** Exit code; 127 when the program does not exist (as a shell reports it). */
  code: number;
  /** Standard output, decoded as UTF-8. */
  stdout: string;
  /** Standard error, decoded as UTF-8. */
  stderr: string;
}

/**
 * Runs a program and collects its output. Service code takes one as a parameter so tests can
 * stub `systemctl` and `launchctl` and record what would have run.
 */
export type CommandRunner = (command: string, args: string[]) => Promise<CommandResult>;

/**
 * Runs `command` with `args` on the real machine (stdin closed, output collected). A program
 * that is not installed is reported as exit code 127 with a message on stderr, not thrown, so
 * probes such as `systemctl --user is-system-running` simply answer "no".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCommand } from "./run_command.ts";
 * const result = await runCommand("sh", ["-c", "echo hi"]);
 * assert.ok(result.code === 0 && result.stdout === "hi\n");
 * ```
 */
export const runCommand: CommandRunner = async (command, args): Promise<CommandResult> => {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(command, { args, stdin: "null" }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${command}: command not found\n` };
    }
    throw error;
  }
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
};
