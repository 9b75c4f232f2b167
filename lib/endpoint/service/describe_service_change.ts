import type { Host } from "../../host/host.ts";
import { COLLECTOR_SERVICE_LABEL, COLLECTOR_SYSTEMD_UNIT } from "./collector_service_spec.ts";
import type { ServiceManager } from "./detect_service_manager.ts";
import type { ServiceChange } from "./service_controller.ts";

const SERVICE_NAME: Record<Exclude<ServiceManager, "detached">, string> = {
  "systemd-user": `${COLLECTOR_SYSTEMD_UNIT.replace(/\.service$/, "")} (systemd --user)`,
  "systemd-system": `${COLLECTOR_SYSTEMD_UNIT.replace(/\.service$/, "")} (systemd)`,
  "launchd-agent": `${COLLECTOR_SERVICE_LABEL} (launchd agent)`,
  "launchd-daemon": `${COLLECTOR_SERVICE_LABEL} (launchd daemon)`,
};

/** A service change, with or without the text of a definition file it writes. */
export type DescribedServiceChange =
  | Exclude<ServiceChange, { kind: "write-file" }>
  | Omit<Extract<ServiceChange, { kind: "write-file" }>, "text">;

/**
 * One line of plan text for a service change, with paths in the home folder shown as `~/...`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeServiceChange } from "./describe_service_change.ts";
 * const host = { home: "/home/ada", cwd: "/", systemRoot: "/", os: "linux", env: {}, now: () => new Date() };
 * assert.ok(
 *   describeServiceChange({ kind: "start", manager: "systemd-user" }, host) ===
 *     "start beacon-collector (systemd --user)",
 * );
 * ```
 */
export function describeServiceChange(
  change: DescribedServiceChange,
  host: Pick<Host, "home">,
): string {
  const show = (path: string) => displayPath(path, host.home);
  switch (change.kind) {
    case "write-file":
      return `${change.action === "create" ? "write" : "update"} ${show(change.path)}`;
    case "remove-file":
      return `remove ${show(change.path)}`;
    case "start":
      return change.manager === "detached"
        ? "start the collector as a background process (no service manager here: containers/CI)" +
          (change.pidFile ? `; pid file ${show(change.pidFile)}` : "")
        : `start ${SERVICE_NAME[change.manager]}`;
    case "restart":
      return change.manager === "detached"
        ? "restart the background collector to use the new command line" +
          (change.pidFile ? `; pid file ${show(change.pidFile)}` : "")
        : `restart ${SERVICE_NAME[change.manager]} to load the new definition`;
    case "stop":
      return change.manager === "detached"
        ? "stop the background collector" +
          (change.pidFile ? ` (pid file ${show(change.pidFile)})` : "")
        : `stop ${SERVICE_NAME[change.manager]}`;
  }
}

function displayPath(path: string, home: string): string {
  const base = home.replace(/\/+$/, "");
  if (!base) return path;
  if (path === base) return "~";
  return path.startsWith(base + "/") ? `~${path.slice(base.length)}` : path;
}
