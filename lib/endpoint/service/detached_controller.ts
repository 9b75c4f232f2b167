import type { Host } from "../../host/host.ts";
import type { Processes } from "../../host/processes.ts";
import type { CollectorServiceSpec } from "./collector_service_spec.ts";
import { collectorServicePaths } from "./collector_service_paths.ts";
import { ensureServiceFolders } from "./ensure_service_folders.ts";
import { installChanges } from "./install_changes.ts";
import { isCollectorAlive } from "./is_collector_alive.ts";
import { readPidFile } from "./pid_file.ts";
import { renderDetachedRecord } from "./render_detached_record.ts";
import type {
  InstallOptions,
  ServiceChange,
  ServiceController,
  ServiceStatus,
} from "./service_controller.ts";
import type { ServiceFiles } from "./service_files.ts";
import { startDetached } from "./start_detached.ts";
import { stopDetached } from "./stop_detached.ts";

/** Options of {@link detachedController}. */
export interface DetachedControllerOptions {
  /** User or system mode: picks the state folder of the pid file and record. */
  mode: "user" | "system";
  /** The machine: home folder and system root locate every file. */
  host: Host;
  /** Reads and writes the definition file (the caller's, for journaling or dry runs). */
  files: ServiceFiles;
  /** Starts, signals and inspects the collector process (the System's). */
  processes: Processes;
  /** How long the collector gets after SIGTERM before SIGKILL (default 15 s). */
  stopTimeoutMs?: number;
  /** How long a new collector is watched for an early exit (default 1000 ms). */
  settleMs?: number;
}

/**
 * Runs the collector as a plain background process where no service manager is usable
 * (containers, CI). Install records the spec in `collector-service.json` in the endpoint state
 * folder (so repair can tell when the running collector is out of date) and starts the
 * collector detached with its pid in `collector.pid`. Nothing restarts it after a crash or a
 * reboot: `status` reports it, and repair starts it again.
 */
export function detachedController(options: DetachedControllerOptions): ServiceController {
  const { mode, files, processes } = options;
  const manager = "detached";
  const paths = collectorServicePaths(mode, options.host);
  const { pidFile, detachedRecordFile } = paths;

  async function runningPid(): Promise<{ pid?: number; running: boolean }> {
    const pid = await readPidFile(files, pidFile);
    return { pid, running: pid !== undefined && await isCollectorAlive(pid, processes) };
  }

  async function plan(
    spec: CollectorServiceSpec,
    options: InstallOptions = {},
  ): Promise<ServiceChange[]> {
    if (spec.mode !== mode) {
      throw new Error(`Cannot install a ${spec.mode}-mode collector in ${mode} mode.`);
    }
    return installChanges({
      manager,
      path: detachedRecordFile,
      current: await files.readText(detachedRecordFile),
      desired: renderDetachedRecord(spec),
      fileMode: 0o600,
      running: (await runningPid()).running,
      pidFile,
      restart: options.restart,
    });
  }

  async function planUninstall(): Promise<ServiceChange[]> {
    const { running } = await runningPid();
    const present = await files.readText(detachedRecordFile) !== undefined;
    return [
      ...(running ? [{ kind: "stop", manager, pidFile } as const] : []),
      ...(present ? [{ kind: "remove-file", path: detachedRecordFile } as const] : []),
    ];
  }

  const stop = async () => {
    await stopDetached(pidFile, { files, processes }, { timeoutMs: options.stopTimeoutMs });
  };
  const start = async (spec: CollectorServiceSpec) => {
    await startDetached(spec, pidFile, { files, processes }, { settleMs: options.settleMs });
  };

  return {
    manager,
    definitionPath: detachedRecordFile,
    plan,

    async install(spec, options) {
      const changes = await plan(spec, options);
      if (changes.length) await ensureServiceFolders(files, spec, detachedRecordFile);
      for (const change of changes) {
        if (change.kind === "write-file") {
          await files.writeFile(change.path, change.text, change.mode);
        } else if (change.kind === "restart") {
          await stop();
          await start(spec);
        } else if (change.kind === "start") {
          await start(spec);
        }
      }
      return changes;
    },

    stop,

    async restart() {
      const record = await files.readText(detachedRecordFile);
      if (record === undefined) return;
      // The record is the spec it was started from (renderDetachedRecord).
      const spec = JSON.parse(record) as CollectorServiceSpec;
      await stop();
      await start(spec);
    },

    planUninstall,

    async uninstall() {
      const changes = await planUninstall();
      await stop(); // also clears a stale pid file
      await files.removeFile(detachedRecordFile);
      return changes;
    },

    async status(): Promise<ServiceStatus> {
      const installed = await files.readText(detachedRecordFile) !== undefined;
      const { pid, running } = await runningPid();
      let detail: string;
      if (running) detail = `running, pid ${pid}`;
      else if (pid !== undefined) {
        detail = `not running (stale pid file: pid ${pid} is not a collector)`;
      } else detail = installed ? "not running" : "not installed";
      return {
        installed,
        running,
        ...(running ? { pid } : {}),
        detail: `background process: ${detail}`,
      };
    },
  };
}
