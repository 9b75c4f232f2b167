import type { Host } from "../../host/host.ts";
import { COLLECTOR_SYSTEMD_UNIT, type CollectorServiceSpec } from "./collector_service_spec.ts";
import { ensureServiceFolders } from "./ensure_service_folders.ts";
import { installChanges } from "./install_changes.ts";
import { renderSystemdUnit, systemdUnitPath } from "./render_systemd_unit.ts";
import type { CommandRunner } from "../../host/run_command.ts";
import type {
  InstallOptions,
  ServiceChange,
  ServiceController,
  ServiceStatus,
} from "./service_controller.ts";
import type { ServiceFiles } from "./service_files.ts";

/** Options of {@link systemdController}. */
export interface SystemdControllerOptions {
  /** `user` drives `systemctl --user`; `system` drives the system manager (as root). */
  mode: "user" | "system";
  /** The machine: home folder and system root locate every file. */
  host: Host;
  /** Runs the manager's command-line tool (stubbed in tests). */
  run: CommandRunner;
  /** Reads and writes the definition file (the caller's, for journaling or dry runs). */
  files: ServiceFiles;
}

/** What `systemctl show` says about the unit. */
interface UnitState {
  activeState: string;
  subState: string;
  unitFileState: string;
  pid?: number;
}

/**
 * Runs the collector as the systemd unit `beacon-collector.service` (`systemctl --user` in user
 * mode). Install writes the unit, then `daemon-reload`; a new or stopped unit gets
 * `enable --now`, a running one whose unit changed gets `enable` and `restart`. Uninstall runs
 * `disable --now`, removes the unit and reloads. Every `systemctl` call goes through `run`.
 */
export function systemdController(options: SystemdControllerOptions): ServiceController {
  const { mode, run, files } = options;
  const manager = mode === "system" ? "systemd-system" : "systemd-user";
  const unitPath = systemdUnitPath(mode, options.host);
  const scope = mode === "system" ? [] : ["--user"];
  const where = mode === "system" ? "systemd" : "systemd --user";

  async function systemctl(args: string[], purpose: string): Promise<string> {
    const result = await run("systemctl", [...scope, ...args]);
    if (result.code !== 0) {
      const said = (result.stderr || result.stdout).trim().replace(/\.$/, "");
      throw new Error(
        `Cannot ${purpose}: \`systemctl ${[...scope, ...args].join(" ")}\` failed ` +
          `(exit ${result.code})${said ? `: ${said}` : ""}. See \`journalctl ${
            [...scope, "-u", COLLECTOR_SYSTEMD_UNIT].join(" ")
          }\`.`,
      );
    }
    return result.stdout;
  }

  async function unitState(): Promise<UnitState> {
    const stdout = await systemctl(
      ["show", COLLECTOR_SYSTEMD_UNIT, "--property=ActiveState,SubState,UnitFileState,MainPID"],
      "read the collector's service state",
    );
    const values = Object.fromEntries(
      stdout.split("\n").filter((line) => line.includes("=")).map((line) => {
        const at = line.indexOf("=");
        return [line.slice(0, at), line.slice(at + 1)];
      }),
    );
    const pid = Number(values.MainPID);
    return {
      activeState: values.ActiveState ?? "unknown",
      subState: values.SubState ?? "unknown",
      unitFileState: values.UnitFileState ?? "",
      ...(pid > 0 ? { pid } : {}),
    };
  }

  async function inspect(spec: CollectorServiceSpec, options: InstallOptions = {}) {
    if (spec.mode !== mode) {
      throw new Error(
        `Cannot install a ${spec.mode}-mode collector with ${where}; use the ${spec.mode} mode's ` +
          "service manager.",
      );
    }
    const desired = renderSystemdUnit(spec);
    const current = await files.readText(unitPath);
    const state = await unitState();
    return installChanges({
      manager,
      path: unitPath,
      current,
      desired,
      fileMode: 0o644,
      running: state.activeState === "active",
      enabled: state.unitFileState === "enabled",
      restart: options.restart,
    });
  }

  async function planUninstall(): Promise<ServiceChange[]> {
    if (await files.readText(unitPath) === undefined) return [];
    const state = await unitState();
    return [
      ...(state.activeState === "active" ? [{ kind: "stop", manager } as const] : []),
      { kind: "remove-file", path: unitPath },
    ];
  }

  return {
    manager,
    definitionPath: unitPath,
    plan: inspect,

    async install(spec, options) {
      const changes = await inspect(spec, options);
      if (changes.length) await ensureServiceFolders(files, spec, unitPath);
      for (const change of changes) {
        if (change.kind === "write-file") {
          await files.writeFile(change.path, change.text, change.mode);
          await systemctl(["daemon-reload"], "reload systemd's units");
        } else if (change.kind === "start") {
          await systemctl(["enable", "--now", COLLECTOR_SYSTEMD_UNIT], "start the collector");
        } else if (change.kind === "restart") {
          await systemctl(["enable", COLLECTOR_SYSTEMD_UNIT], "enable the collector");
          await systemctl(["restart", COLLECTOR_SYSTEMD_UNIT], "restart the collector");
        }
      }
      return changes;
    },

    async stop() {
      if (await files.readText(unitPath) === undefined) return;
      await systemctl(["stop", COLLECTOR_SYSTEMD_UNIT], "stop the collector");
    },

    async restart() {
      if (await files.readText(unitPath) === undefined) return;
      await systemctl(["daemon-reload"], "reload systemd's units");
      await systemctl(["restart", COLLECTOR_SYSTEMD_UNIT], "restart the collector");
    },

    planUninstall,

    async uninstall() {
      const changes = await planUninstall();
      if (!changes.length) return changes;
      await systemctl(
        ["disable", "--now", COLLECTOR_SYSTEMD_UNIT],
        "stop and disable the collector",
      );
      await files.removeFile(unitPath);
      await systemctl(["daemon-reload"], "reload systemd's units");
      // Forget a failed state, so the unit no longer shows up as "not-found failed".
      await run("systemctl", [...scope, "reset-failed", COLLECTOR_SYSTEMD_UNIT]);
      return changes;
    },

    async status(): Promise<ServiceStatus> {
      if (await files.readText(unitPath) === undefined) {
        return { installed: false, running: false, detail: `${where}: not installed` };
      }
      let state: UnitState;
      try {
        state = await unitState();
      } catch (error) {
        return { installed: true, running: false, detail: `${where}: ${(error as Error).message}` };
      }
      const running = state.activeState === "active";
      return {
        installed: true,
        running,
        ...(running && state.pid ? { pid: state.pid } : {}),
        detail: `${where}: ${state.activeState} (${state.subState})` +
          (state.unitFileState ? `, ${state.unitFileState}` : "") +
          (running && state.pid ? `, pid ${state.pid}` : ""),
      };
    },
  };
}
