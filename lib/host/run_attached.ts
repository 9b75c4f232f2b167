/**
 * The machine's {@link Processes.runAttached}: a program in the foreground, as `ci exec` runs the
 * command it wraps.
 *
 * @module
 */
import { type AttachedOptions, AttachedStartError } from "./processes.ts";
import { signalNumber } from "./signal_number.ts";

/**
 * Runs `cmd` with `args`: `options.env` added to this process's environment, stdin, stdout and
 * stderr shared, the signals in `options.forwardSignals` sent to this process passed on to it.
 * Returns its exit code, or `128 + N` when signal N killed it.
 *
 * @throws {AttachedStartError} when the command cannot be started (not found, not executable).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runAttached } from "./run_attached.ts";
 *
 * const code = await runAttached("sh", ["-c", "exit 3"], { env: {}, forwardSignals: [] });
 * assert.equal(code, 3);
 * ```
 */
export async function runAttached(
  cmd: string,
  args: readonly string[],
  options: AttachedOptions,
): Promise<number> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args: [...args],
      env: { ...options.env },
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "not found (check the name and PATH)"
      : (error as Error).message;
    throw new AttachedStartError(`Cannot run "${cmd}": ${reason}.`);
  }
  const listeners = options.forwardSignals.map((signal) => {
    const listener = () => {
      try {
        child.kill(signal);
      } catch {
        // it has exited already
      }
    };
    Deno.addSignalListener(signal, listener);
    return () => Deno.removeSignalListener(signal, listener);
  });
  try {
    const status = await child.status;
    if (status.signal) return 128 + signalNumber(status.signal);
    return status.code;
  } finally {
    for (const remove of listeners) remove();
  }
}
