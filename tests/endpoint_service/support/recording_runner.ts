/** A stub command runner that records every call and answers from a script. */
import type { CommandResult, CommandRunner } from "../../../lib/host/run_command.ts";

/** A recorded call, as one line: `systemctl --user daemon-reload`. */
export type RecordedCall = string;

/** A stub runner with the calls it received. */
export interface RecordingRunner {
  run: CommandRunner;
  calls: RecordedCall[];
}

/**
 * Answers each call with `answer(line)` (the command and its arguments joined by spaces), or
 * exit 0 with no output when it returns undefined.
 */
export function recordingRunner(
  answer: (line: string) => Partial<CommandResult> | undefined = () => undefined,
): RecordingRunner {
  const calls: RecordedCall[] = [];
  return {
    calls,
    run(command, args) {
      const line = [command, ...args].join(" ");
      calls.push(line);
      return Promise.resolve({ code: 0, stdout: "", stderr: "", ...answer(line) });
    },
  };
}
