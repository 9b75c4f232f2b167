/** Signal numbers on Linux and macOS, for the shell's `128 + N` exit code of a killed command. */
const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
};

/**
 * Runs `command` with `args` as `ci exec` does: the given environment added to this process's,
 * stdin, stdout and stderr shared (output streams through unchanged), SIGINT and SIGTERM sent
 * to this process forwarded to it. Returns its exit code, or `128 + N` when signal N killed it
 * (as a shell reports it).
 *
 * @throws Error when the command cannot be started (not found, not executable).
 */
export async function runChildCommand(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<number> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args,
      env,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "not found (check the name and PATH)"
      : (error as Error).message;
    throw new Error(`Cannot run "${command}": ${reason}.`);
  }
  const forwarded: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  const listeners = forwarded.map((signal) => {
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
    if (status.signal) return 128 + (SIGNAL_NUMBERS[status.signal] ?? 0);
    return status.code;
  } finally {
    for (const remove of listeners) remove();
  }
}
