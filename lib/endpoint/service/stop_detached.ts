import type { Processes } from "../../host/processes.ts";
import { isCollectorAlive } from "./is_collector_alive.ts";
import { readPidFile } from "./pid_file.ts";
import type { ServiceFiles } from "./service_files.ts";

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
 * process is never signalled. Files and signals go through `system` (the System's).
 *
 * @throws Error when the collector cannot be signalled (another user's process) or survives
 * SIGKILL.
 */
export async function stopDetached(
  pidFile: string,
  system: { files: ServiceFiles; processes: Processes },
  options: StopDetachedOptions = {},
): Promise<StopDetachedResult> {
  const { files, processes } = system;
  const pid = await readPidFile(files, pidFile);
  if (pid === undefined || !await isCollectorAlive(pid, processes)) {
    await files.removeFile(pidFile);
    return "not-running";
  }
  signal(processes, pid, "SIGTERM");
  let result: StopDetachedResult = "stopped";
  if (!await waitUntilGone(processes, pid, options.timeoutMs ?? 15_000)) {
    signal(processes, pid, "SIGKILL");
    result = "killed";
    if (!await waitUntilGone(processes, pid, 5_000)) {
      throw new Error(`Cannot stop the collector (pid ${pid}): it is still running after SIGKILL.`);
    }
  }
  await files.removeFile(pidFile);
  return result;
}

function signal(processes: Processes, pid: number, name: "SIGTERM" | "SIGKILL"): void {
  // "gone": it exited in the meantime.
  if (processes.signal(pid, name) === "not-permitted") {
    throw new Error(
      `Cannot stop the collector (pid ${pid}): permission denied. It belongs to another user; ` +
        "run the command as that user (or root).",
    );
  }
}

async function waitUntilGone(processes: Processes, pid: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (await isCollectorAlive(pid, processes)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
