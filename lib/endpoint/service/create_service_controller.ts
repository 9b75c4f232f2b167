import type { Host } from "../../host/host.ts";
import type { Processes } from "../../host/processes.ts";
import { detachedController } from "./detached_controller.ts";
import type { ServiceManager } from "./detect_service_manager.ts";
import { launchdController } from "./launchd_controller.ts";
import type { CommandRunner } from "../../host/run_command.ts";
import type { ServiceController } from "./service_controller.ts";
import type { ServiceFiles } from "./service_files.ts";
import { systemdController } from "./systemd_controller.ts";

/** What every controller needs; see {@link createServiceController}. */
export interface ServiceControllerOptions {
  /** User or system mode; must match the manager (`systemd-user` is user mode, ...). */
  mode: "user" | "system";
  /** The machine: home folder and system root locate every file. */
  host: Host;
  /** Runs `systemctl` / `launchctl` (`runCommand` on the real machine). */
  run: CommandRunner;
  /** Reads and writes unit files, plists and records (`serviceFilesOn(fs)`). */
  files: ServiceFiles;
  /**
   * The background collector's process (detached), and this process's user id (launchd's
   * `gui/<uid>` domain): the System's.
   */
  processes: Processes;
  /** launchd only: longest wait for `bootout` to finish before `bootstrap` (default 5000 ms). */
  bootoutTimeoutMs?: number;
  /** detached only: how long the collector gets after SIGTERM before SIGKILL (default 15 s). */
  stopTimeoutMs?: number;
  /** detached only: how long a new collector is watched for an early exit (default 1000 ms). */
  settleMs?: number;
}

const MANAGER_MODE: Record<Exclude<ServiceManager, "detached">, "user" | "system"> = {
  "systemd-user": "user",
  "systemd-system": "system",
  "launchd-agent": "user",
  "launchd-daemon": "system",
};

/**
 * The controller for `manager` (as chosen by `detectServiceManager`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createServiceController } from "./create_service_controller.ts";
 * import { serviceFilesOn } from "./service_files.ts";
 * import { runCommand } from "../../host/run_command.ts";
 * import { realProcesses } from "../../host/real_processes.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 * const host = { home: "/home/ada", cwd: "/", systemRoot: "/", os: "linux", env: {}, now: () => new Date() };
 * const controller = createServiceController("systemd-user", {
 *   mode: "user", host, run: runCommand, files: serviceFilesOn(realFileSystem),
 *   processes: realProcesses(),
 * });
 * assert.ok(controller.definitionPath === "/home/ada/.config/systemd/user/beacon-collector.service");
 * ```
 */
export function createServiceController(
  manager: ServiceManager,
  options: ServiceControllerOptions,
): ServiceController {
  if (manager !== "detached" && MANAGER_MODE[manager] !== options.mode) {
    throw new Error(
      `Cannot drive the ${options.mode}-mode collector with ${manager}: it serves ` +
        `${MANAGER_MODE[manager]} mode.`,
    );
  }
  switch (manager) {
    case "systemd-user":
    case "systemd-system":
      return systemdController(options);
    case "launchd-agent":
    case "launchd-daemon":
      return launchdController(options);
    case "detached":
      return detachedController(options);
  }
}
