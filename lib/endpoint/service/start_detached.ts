import { dirname } from "../../host/file_path.ts";
import type { Processes } from "../../host/processes.ts";
import type { CollectorServiceSpec } from "./collector_service_spec.ts";
import { isCollectorAlive } from "./is_collector_alive.ts";
import { readPidFile, writePidFile } from "./pid_file.ts";
import type { ServiceFiles } from "./service_files.ts";

/** Options of {@link startDetached}. */
export interface StartDetachedOptions {
  /**
   * How long to watch the new process before reporting success (default 1000 ms): a collector
   * that cannot start (bad policy, address in use, missing binary) exits within it, and the
   * error then carries the end of its log instead of a pid that is already gone.
   */
  settleMs?: number;
}

/** systemd's default PATH, given to the collector when `spec.env` has none. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Starts the collector as a background process for machines without a usable service manager
 * (containers, CI) through `processes.startBackground`: in its own session, with only
 * `spec.env` (plus a default PATH), stdin from /dev/null and its output appended to
 * `spec.logFile`, so it keeps running after the CLI exits. The pid is written to `pidFile`
 * (0600, atomically) through `files`.
 *
 * Nothing restarts it when it dies or the machine reboots; `beacon endpoint repair` starts it
 * again. The caller holds the endpoint's apply lock, so two starts cannot race. Unix only.
 *
 * @throws Error when a collector from `pidFile` is already running, or the process exits
 * within `settleMs` (the message ends with the last lines of its log).
 */
export async function startDetached(
  spec: CollectorServiceSpec,
  pidFile: string,
  system: { files: ServiceFiles; processes: Processes },
  options: StartDetachedOptions = {},
): Promise<{ pid: number }> {
  const { files, processes } = system;
  const running = await readPidFile(files, pidFile);
  if (running !== undefined && await isCollectorAlive(running, processes)) {
    throw new Error(
      `Cannot start the collector: it is already running (pid ${running}, recorded in ` +
        `${pidFile}). Stop it first.`,
    );
  }
  const folderMode = spec.mode === "system" ? 0o750 : 0o700;
  await files.ensureDir(dirname(spec.logFile), folderMode);
  await files.ensureDir(spec.workingDirectory, folderMode);
  const child = await processes.startBackground(spec.executable, spec.args, {
    cwd: spec.workingDirectory,
    env: { PATH: DEFAULT_PATH, ...spec.env },
    outputFile: spec.logFile,
    outputMode: spec.mode === "system" ? 0o640 : 0o600,
  });
  await writePidFile(files, pidFile, child.pid);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), options.settleMs ?? 1000);
  });
  const exited = await Promise.race([child.exited, settled]);
  clearTimeout(timer);
  if (exited) {
    await files.removeFile(pidFile);
    throw new Error(
      `Cannot start the collector: it exited with code ${exited.code}` +
        (exited.signal ? ` (${exited.signal})` : "") + ` right after starting. The end of ` +
        `${spec.logFile}:\n${await child.outputTail()}`,
    );
  }
  return { pid: child.pid };
}
