import type { System } from "../../host/system.ts";

/** What keeps the collector running: a real service manager, or a plain background process. */
export type ServiceManager =
  | "systemd-user"
  | "systemd-system"
  | "launchd-agent"
  | "launchd-daemon"
  | "detached";

/** The environment variable that forces a service manager: `detached`, `systemd` or `launchd`. */
export const SERVICE_MANAGER_OVERRIDE = "BEACON_SERVICE_MANAGER";

/** `systemctl is-system-running` answers for a manager that can start units. */
const USABLE_SYSTEMD_STATES = new Set(["initializing", "starting", "running", "degraded"]);

/**
 * Picks how to run the collector as a service in `mode`:
 *
 * - `$BEACON_SERVICE_MANAGER` (`detached`, `systemd`, `launchd`) wins, so tests and unusual
 *   machines can force a choice;
 * - macOS: launchd (an agent in user mode, a daemon in system mode);
 * - Linux: systemd when it is the running init (`/run/systemd/system` exists on the real
 *   machine, whatever `host.systemRoot` says: it is a fact about the running system, not a file
 *   Beacon writes) and `systemctl [--user] is-system-running` answers running, degraded,
 *   starting or initializing. Containers, WSL without systemd and CI runners without a user
 *   session fall through to
 * - `detached`: a background process with a pid file.
 *
 * Everything is read through the System: `host`, `run` for `systemctl`, `fs` for the folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectServiceManager } from "./detect_service_manager.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 * const host = { home: "/h", cwd: "/", systemRoot: "/", os: "linux", env: { BEACON_SERVICE_MANAGER: "detached" }, now: () => new Date() };
 * const run = () => Promise.reject(new Error("not called"));
 * const fs = realFileSystem;
 * assert.ok(await detectServiceManager("user", { host, run, fs }) === "detached");
 * ```
 */
export async function detectServiceManager(
  mode: "user" | "system",
  system: Pick<System, "host" | "run" | "fs">,
): Promise<ServiceManager> {
  const { host, run } = system;
  const override = host.env[SERVICE_MANAGER_OVERRIDE];
  if (override) {
    switch (override) {
      case "detached":
        return "detached";
      case "systemd":
        return mode === "system" ? "systemd-system" : "systemd-user";
      case "launchd":
        return mode === "system" ? "launchd-daemon" : "launchd-agent";
      default:
        throw new Error(
          `Cannot use ${SERVICE_MANAGER_OVERRIDE}="${override}": expected detached, systemd or ` +
            "launchd (or unset it to detect the service manager).",
        );
    }
  }
  if (host.os === "darwin") return mode === "system" ? "launchd-daemon" : "launchd-agent";
  if (host.os !== "linux") return "detached";
  // A fact about the running system, so never under host.systemRoot.
  const runDir = await system.fs.lstat("/run/systemd/system").catch(() => undefined);
  if (!runDir || runDir.isFile || runDir.isSymlink) return "detached";
  const result = await run(
    "systemctl",
    mode === "system" ? ["is-system-running"] : ["--user", "is-system-running"],
  );
  // The exit code is not 0 for "degraded" and "starting": the answer is on stdout.
  if (!USABLE_SYSTEMD_STATES.has(result.stdout.trim())) return "detached";
  return mode === "system" ? "systemd-system" : "systemd-user";
}
