import type { Host } from "../../host/host.ts";
import type { Processes } from "../../host/processes.ts";
import { COLLECTOR_SERVICE_LABEL, type CollectorServiceSpec } from "./collector_service_spec.ts";
import { ensureServiceFolders } from "./ensure_service_folders.ts";
import { installChanges } from "./install_changes.ts";
import { launchdPlistPath, renderLaunchdPlist } from "./render_launchd_plist.ts";
import type { CommandRunner } from "../../host/run_command.ts";
import type {
  InstallOptions,
  ServiceChange,
  ServiceController,
  ServiceStatus,
} from "./service_controller.ts";
import type { ServiceFiles } from "./service_files.ts";

/** Options of {@link launchdController}. */
export interface LaunchdControllerOptions {
  /** `user`: a LaunchAgent in the user's `gui/<uid>` domain; `system`: a LaunchDaemon. */
  mode: "user" | "system";
  /** The machine: home folder and system root locate every file. */
  host: Host;
  /** Runs the manager's command-line tool (stubbed in tests). */
  run: CommandRunner;
  /** Reads and writes the definition file (the caller's, for journaling or dry runs). */
  files: ServiceFiles;
  /** Its `uid()` is the user's id for the `gui/<uid>` domain. */
  processes: Pick<Processes, "uid">;
  /** Longest wait for `bootout` to finish before `bootstrap` (default 5000 ms). */
  bootoutTimeoutMs?: number;
}

/** What `launchctl print` says about the job. */
interface JobState {
  loaded: boolean;
  state?: string;
  pid?: number;
  lastExitCode?: string;
}

/**
 * Runs the collector as the launchd job `dev.asymptote.beacon.collector`. Install writes the
 * plist, then a job that is not loaded gets `launchctl enable` and `bootstrap` (RunAtLoad
 * starts it); a loaded job whose plist changed is booted out and bootstrapped again (launchd
 * reads a plist only when it loads it, so `kickstart -k` would run the old definition); a
 * loaded, unchanged job that is not running gets `kickstart`. Uninstall boots it out and removes the plist.
 */
export function launchdController(options: LaunchdControllerOptions): ServiceController {
  const { mode, run, files } = options;
  const manager = mode === "system" ? "launchd-daemon" : "launchd-agent";
  const plistPath = launchdPlistPath(mode, options.host);
  const domain = mode === "system" ? "system" : `gui/${options.processes.uid() ?? 0}`;
  const target = `${domain}/${COLLECTOR_SERVICE_LABEL}`;
  const where = mode === "system" ? "launchd daemon" : "launchd agent";

  async function launchctl(args: string[], purpose: string): Promise<void> {
    const result = await run("launchctl", args);
    if (result.code !== 0) {
      const said = (result.stderr || result.stdout).trim().replace(/\.$/, "");
      throw new Error(
        `Cannot ${purpose}: \`launchctl ${args.join(" ")}\` failed (exit ${result.code})` +
          `${said ? `: ${said}` : ""}.`,
      );
    }
  }

  async function jobState(): Promise<JobState> {
    const result = await run("launchctl", ["print", target]);
    if (result.code !== 0) return { loaded: false };
    // Top-level properties are indented by exactly one tab; nested blocks by more.
    const field = (name: string) => new RegExp(`^\\t${name} = (.*)$`, "m").exec(result.stdout)?.[1];
    const pid = Number(field("pid"));
    return {
      loaded: true,
      state: field("state"),
      ...(pid > 0 ? { pid } : {}),
      lastExitCode: field("last exit code"),
    };
  }

  async function waitUntilUnloaded(): Promise<void> {
    const deadline = Date.now() + (options.bootoutTimeoutMs ?? 5000);
    while ((await jobState()).loaded) {
      if (Date.now() >= deadline) {
        throw new Error(`Cannot reload the collector: ${target} is still loaded after bootout.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function inspect(spec: CollectorServiceSpec, options: InstallOptions = {}) {
    if (spec.mode !== mode) {
      throw new Error(`Cannot install a ${spec.mode}-mode collector as a ${where}.`);
    }
    if (spec.label !== COLLECTOR_SERVICE_LABEL) {
      throw new Error(
        `Cannot install the collector as "${spec.label}": its launchd label is ` +
          `"${COLLECTOR_SERVICE_LABEL}" (the plist and launchctl target are named after it).`,
      );
    }
    const state = await jobState();
    const changes = installChanges({
      manager,
      path: plistPath,
      current: await files.readText(plistPath),
      desired: renderLaunchdPlist(spec),
      fileMode: 0o644,
      running: state.state === "running",
      restart: options.restart,
    });
    return { changes, state };
  }

  async function planUninstall(): Promise<ServiceChange[]> {
    const state = await jobState();
    const present = await files.readText(plistPath) !== undefined;
    return [
      ...(state.loaded ? [{ kind: "stop", manager } as const] : []),
      ...(present ? [{ kind: "remove-file", path: plistPath } as const] : []),
    ];
  }

  return {
    manager,
    definitionPath: plistPath,
    plan: async (spec, options) => (await inspect(spec, options)).changes,

    async install(spec, options) {
      const { changes, state } = await inspect(spec, options);
      if (changes.length) await ensureServiceFolders(files, spec, plistPath);
      const rewrite = changes.some((change) => change.kind === "write-file");
      for (const change of changes) {
        if (change.kind === "write-file") {
          await files.writeFile(change.path, change.text, change.mode);
        } else if (state.loaded && !rewrite) {
          // -k: a running job is killed and started again (a restart to read its token anew).
          const kill = change.kind === "restart" ? ["-k"] : [];
          await launchctl(["kickstart", ...kill, target], "start the collector");
        } else {
          if (state.loaded) {
            await launchctl(["bootout", target], "stop the collector");
            await waitUntilUnloaded();
          }
          await launchctl(["enable", target], "enable the collector");
          await launchctl(["bootstrap", domain, plistPath], "load the collector");
        }
      }
      return changes;
    },

    async stop() {
      if (!(await jobState()).loaded) return;
      await launchctl(["bootout", target], "stop the collector");
    },

    // launchd reads a plist only when it loads it: boot out and load it again.
    async restart() {
      if (await files.readText(plistPath) === undefined) return;
      if ((await jobState()).loaded) {
        await launchctl(["bootout", target], "stop the collector");
        await waitUntilUnloaded();
      }
      await launchctl(["enable", target], "enable the collector");
      await launchctl(["bootstrap", domain, plistPath], "load the collector");
    },

    planUninstall,

    async uninstall() {
      const changes = await planUninstall();
      for (const change of changes) {
        if (change.kind === "stop") await launchctl(["bootout", target], "stop the collector");
        if (change.kind === "remove-file") await files.removeFile(change.path);
      }
      return changes;
    },

    async status(): Promise<ServiceStatus> {
      const installed = await files.readText(plistPath) !== undefined;
      const state = await jobState();
      const running = state.state === "running";
      let detail: string;
      if (!state.loaded) detail = installed ? "installed, not loaded" : "not installed";
      else if (running) detail = `running${state.pid ? `, pid ${state.pid}` : ""}`;
      else {
        detail = `loaded, ${state.state ?? "not running"}` +
          (state.lastExitCode ? ` (last exit code = ${state.lastExitCode})` : "");
      }
      return {
        installed,
        running,
        ...(running && state.pid ? { pid: state.pid } : {}),
        detail: `${where}: ${detail}`,
      };
    },
  };
}
