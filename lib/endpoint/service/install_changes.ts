import type { ServiceManager } from "./detect_service_manager.ts";
import type { ServiceChange } from "./service_controller.ts";

/** What a controller found before installing. */
export interface InstallFacts {
  /** The manager that runs the collector. */
  manager: ServiceManager;
  /** The definition file (unit, plist or record). */
  path: string;
  /** Its text now, or undefined when missing. */
  current: string | undefined;
  /** The text the spec renders to. */
  desired: string;
  /** Permission bits for the definition file. */
  fileMode: number;
  /** The collector runs. */
  running: boolean;
  /** It starts at boot or login (default true: managers without such a notion). */
  enabled?: boolean;
  /** The pid file, for background processes. */
  pidFile?: string;
  /**
   * Restart a running collector even when its definition is unchanged: something it reads only
   * at start changed (its token file after `endpoint repair --rotate-token`).
   */
  restart?: boolean;
}

/**
 * The changes every controller plans the same way: write the definition when it differs;
 * restart a running collector whose definition changed (or that must read its files again);
 * start (and enable) one that is not
 * running or not enabled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { installChanges } from "./install_changes.ts";
 * const changes = installChanges({
 *   manager: "systemd-user", path: "/u", current: "old", desired: "new", fileMode: 0o644, running: true,
 * });
 * assert.ok(changes.map((c) => c.kind).join() === "write-file,restart");
 * ```
 */
export function installChanges(facts: InstallFacts): ServiceChange[] {
  const process = { manager: facts.manager, ...(facts.pidFile ? { pidFile: facts.pidFile } : {}) };
  const changes: ServiceChange[] = [];
  const rewrite = facts.current !== facts.desired;
  if (rewrite) {
    changes.push({
      kind: "write-file",
      action: facts.current === undefined ? "create" : "update",
      path: facts.path,
      text: facts.desired,
      mode: facts.fileMode,
    });
  }
  if (facts.running && (rewrite || facts.restart)) changes.push({ kind: "restart", ...process });
  else if (!facts.running || facts.enabled === false) changes.push({ kind: "start", ...process });
  return changes;
}
