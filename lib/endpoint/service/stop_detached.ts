import { isCollectorAlive } from "./is_collector_alive.ts";
import { readPidFile } from "./pid_file.ts";

/** Options of {@link stopDetached}. */
export interface StopDetachedOptions {
  /** How long the collector gets to finish after SIGTERM before SIGKILL (default 15 s). */
  timeoutMs?: number;
}

/** What {@link stopDetached} did. */
export type StopDetachedResult = "stopped" | "killed" | "not-running";

/**
 * Stops the background collector recorded in `pidFile`: SIGTERM (it finishes in-flight requests
 * and exits 0), then SIGKILL if it is still running after `timeoutMs`. The pid file is removed.
 * Harmless when nothing runs: a missing, unreadable or stale pid file (its pid dead, or reused by
 * a process that is not a collector) is removed and `"not-running"` returned; an unrelated
 * process is never signalled.
 *
 * @throws Error when the collector cannot be signalled (another user's process) or survives
 * SIGKILL.
 */
export async function stopDetached(
  pidFile: string,
  options: StopDetachedOptions = {},
): Promise<StopDetachedResult> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !await isCollectorAlive(pid)) {
    await removePidFile(pidFile);
    return "not-running";
  }
  signal(pid, "SIGTERM");
  let result: StopDetachedResult = "stopped";
  if (!await waitUntilGone(pid, options.timeoutMs ?? 15_000)) {
    signal(pid, "SIGKILL");
    result = "killed";
    if (!await waitUntilGone(pid, 5_000)) {
      throw new Error(`Cannot stop the collector (pid ${pid}): it is still running after SIGKILL.`);
    }
  }
  await removePidFile(pidFile);
  return result;
}

function signal(pid: number, name: Deno.Signal): void {
  try {
    Deno.kill(pid, name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return; // exited in the meantime
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new Error(
        `Cannot stop the collector (pid ${pid}): permission denied. It belongs to another user; ` +
          "run the command as that user (or root).",
      );
    }
    throw error;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (await isCollectorAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

async function removePidFile(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
