import type { Processes } from "../../host/processes.ts";

/**
 * Whether `pid` is a live Beacon collector: the process exists, is not a zombie, and its
 * command line holds the words `collector run`. A pid file can outlive its process and the
 * kernel reuses pids, so "some process has this pid" is not enough to signal it. What the
 * process is comes from `processes.inspect` (`/proc` or `ps` on the real machine).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCollectorAlive } from "./is_collector_alive.ts";
 * import { realProcesses } from "../../host/real_processes.ts";
 * assert.ok(await isCollectorAlive(Deno.pid, realProcesses()) === false); // not a collector
 * ```
 */
export async function isCollectorAlive(pid: number, processes: Processes): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  const info = await processes.inspect(pid);
  if (!info || !info.state || "ZXx".includes(info.state[0])) return false;
  return info.argv.some((word, index) => word === "collector" && info.argv[index + 1] === "run");
}
