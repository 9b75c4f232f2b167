import { dirname } from "node:path";
import type { CollectorServiceSpec } from "./collector_service_spec.ts";
import { isCollectorAlive } from "./is_collector_alive.ts";
import { readPidFile, writePidFile } from "./pid_file.ts";

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
const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Starts the collector as a background process for machines without a usable service manager
 * (containers, CI): in its own session (setsid, through `Deno.Command`'s `detached`), with only
 * `spec.env` (plus a default PATH), stdin from /dev/null and its output appended to
 * `spec.logFile`, so it keeps running after the CLI exits. `/bin/sh` sets up the redirection and
 * then `exec`s the collector, so the recorded pid is the collector's own. The pid is written to
 * `pidFile` (0600, atomically).
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
  options: StartDetachedOptions = {},
): Promise<{ pid: number }> {
  const running = await readPidFile(pidFile);
  if (running !== undefined && await isCollectorAlive(running)) {
    throw new Error(
      `Cannot start the collector: it is already running (pid ${running}, recorded in ` +
        `${pidFile}). Stop it first.`,
    );
  }
  const folderMode = spec.mode === "system" ? 0o750 : 0o700;
  await Deno.mkdir(dirname(spec.logFile), { recursive: true, mode: folderMode });
  await Deno.mkdir(spec.workingDirectory, { recursive: true, mode: folderMode });
  // Created here so its mode is ours, not the shell's umask; `>>` then only appends.
  const log = await Deno.open(spec.logFile, {
    append: true,
    create: true,
    mode: spec.mode === "system" ? 0o640 : 0o600,
  });
  const logStart = (await log.stat()).size; // an error shows only what this start printed
  log.close();

  const child = new Deno.Command("/bin/sh", {
    args: [
      "-c",
      'unset PWD; log=$1; shift; exec "$@" </dev/null >>"$log" 2>&1',
      "beacon-collector-start",
      spec.logFile,
      spec.executable,
      ...spec.args,
    ],
    cwd: spec.workingDirectory,
    env: { PATH: DEFAULT_PATH, ...spec.env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref(); // the CLI may exit while the collector runs on
  await writePidFile(pidFile, child.pid);

  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), options.settleMs ?? 1000);
  });
  const exited = await Promise.race([child.status, settled]);
  clearTimeout(timer);
  if (exited) {
    await Deno.remove(pidFile).catch(() => {});
    throw new Error(
      `Cannot start the collector: it exited with code ${exited.code}` +
        (exited.signal ? ` (${exited.signal})` : "") + ` right after starting. The end of ` +
        `${spec.logFile}:\n${await tail(spec.logFile, logStart)}`,
    );
  }
  return { pid: child.pid };
}

/** The last lines (at most 20, from the last 16 KiB) written to `path` after `from`. */
async function tail(path: string, from: number): Promise<string> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { read: true });
    const size = (await file.stat()).size;
    const start = Math.max(from, size - 16 * 1024);
    await file.seek(start, Deno.SeekMode.Start);
    const bytes = new Uint8Array(size - start);
    let read = 0;
    while (read < bytes.length) {
      const n = await file.read(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    const text = new TextDecoder().decode(bytes.subarray(0, read)).trimEnd();
    if (!text) return "  (it printed nothing)";
    return text.split("\n").slice(-20).map((line) => `  ${line}`).join("\n");
  } catch (error) {
    return `  (cannot read it: ${(error as Error).message})`;
  } finally {
    file?.close();
  }
}
