import { join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import { endpointPaths } from "../endpoint_paths.ts";

/** Files of the collector service that are the same whatever manages it. */
export interface CollectorServicePaths {
  /** The service's own stdout and stderr (startup messages, crashes); not the runtime log. */
  logFile: string;
  /** The endpoint state folder: the collector's working folder. */
  stateDir: string;
  /** Pid of the collector started as a background process (no service manager). */
  pidFile: string;
  /** What the background process was started from, so repair can tell when it must restart. */
  detachedRecordFile: string;
}

/**
 * Where the collector service keeps its files. User mode: `~/.beacon/endpoint/logs/collector.log`
 * and `~/.beacon/endpoint/collector.pid`; system mode: `<root>/var/log/beacon-agent/collector.log`
 * and `<root>/var/lib/beacon-agent/collector.pid`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectorServicePaths } from "./collector_service_paths.ts";
 * const host = { home: "/home/ada", cwd: "/", systemRoot: "/", os: "linux", env: {}, now: () => new Date() };
 * assert.ok(collectorServicePaths("system", host).pidFile === "/var/lib/beacon-agent/collector.pid");
 * ```
 */
export function collectorServicePaths(
  mode: "user" | "system",
  host: Host,
): CollectorServicePaths {
  const paths = endpointPaths(mode, host);
  const logFolder = mode === "system"
    ? join(host.systemRoot, "var", "log", "beacon-agent")
    : join(paths.stateDir, "logs");
  return {
    logFile: join(logFolder, "collector.log"),
    stateDir: paths.stateDir,
    pidFile: join(paths.stateDir, "collector.pid"),
    detachedRecordFile: join(paths.stateDir, "collector-service.json"),
  };
}
