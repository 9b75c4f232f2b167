import { type CommandRunner, runCommand } from "./run_command.ts";

/** Options of {@link isCollectorAlive}. */
export interface IsCollectorAliveOptions {
  /** `Deno.build.os` by default. */
  os?: string;
  /** Runs `ps` where there is no `/proc` (macOS). */
  run?: CommandRunner;
}

/**
 * Whether `pid` is a live Beacon collector: the process exists, is not a zombie, and its
 * command line holds the words `collector run`. A pid file can outlive its process and the
 * kernel reuses pids, so "some process has this pid" is not enough to signal it.
 *
 * On Linux this reads `/proc/<pid>/stat` and `/proc/<pid>/cmdline`; elsewhere it asks
 * `ps -o stat= -o command= -p <pid>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCollectorAlive } from "./is_collector_alive.ts";
 * assert.ok(await isCollectorAlive(Deno.pid) === false); // alive, but not a collector
 * ```
 */
export async function isCollectorAlive(
  pid: number,
  options: IsCollectorAliveOptions = {},
): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  const os = options.os ?? Deno.build.os;
  if (os === "linux" && procReadable()) {
    const stat = await readProcFile(`/proc/${pid}/stat`);
    const cmdline = await readProcFile(`/proc/${pid}/cmdline`);
    if (stat === undefined || cmdline === undefined) return false;
    // The state follows the command name, which is in parentheses and may itself hold ") ".
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X" || state === "x") return false;
    return hasCollectorRunWords(cmdline.split("\0"));
  }
  const result = await (options.run ?? runCommand)("ps", [
    "-o",
    "stat=",
    "-o",
    "command=",
    "-p",
    `${pid}`,
  ]);
  if (result.code !== 0) return false;
  const line = result.stdout.trim();
  if (!line || line.startsWith("Z")) return false;
  return hasCollectorRunWords(line.split(/\s+/).slice(1));
}

/**
 * Deno lets a program read `/proc/<pid>/...` only with every permission (`--allow-all`); the
 * compiled binary has narrower ones, so it asks `ps` instead.
 */
function procReadable(): boolean {
  return Deno.permissions.querySync({ name: "read", path: "/proc/self/stat" }).state === "granted" &&
    Deno.permissions.querySync({ name: "run" }).state === "granted" &&
    Deno.permissions.querySync({ name: "ffi" }).state === "granted";
}

function hasCollectorRunWords(argv: string[]): boolean {
  return argv.some((word, index) => word === "collector" && argv[index + 1] === "run");
}

async function readProcFile(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined; // gone, or hidden from us (hidepid): either way not ours to signal
  }
}
