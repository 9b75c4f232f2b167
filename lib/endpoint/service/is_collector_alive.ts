import { type CommandRunner, runCommand } from "../../host/run_command.ts";

/** Options of {@link isCollectorAlive}. */
export interface IsCollectorAliveOptions {
  /** `Deno.build.os` by default. */
  os?: string;
  /** Runs `cat` (Linux, without `--allow-all`) or `ps` (elsewhere); `runCommand` by default. */
  run?: CommandRunner;
}

/**
 * Whether `pid` is a live Beacon collector: the process exists, is not a zombie, and its
 * command line holds the words `collector run`. A pid file can outlive its process and the
 * kernel reuses pids, so "some process has this pid" is not enough to signal it.
 *
 * On Linux this reads `/proc/<pid>/stat` and `/proc/<pid>/cmdline`. Deno lets a program read
 * `/proc` only with `--allow-all`, which the compiled binary does not have, so without it a
 * `cat` child process reads them (`cat` is in every Linux image; `ps` is missing from slim
 * containers, where the detached collector runs). Elsewhere it asks
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
  const run = options.run ?? runCommand;
  if (os === "linux") {
    const stat = await readProcFile(`/proc/${pid}/stat`, run);
    const cmdline = await readProcFile(`/proc/${pid}/cmdline`, run);
    if (stat === undefined || cmdline === undefined) return false;
    // The state follows the command name, which is in parentheses and may itself hold ") ".
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (!state || state === "Z" || state === "X" || state === "x") return false;
    return hasCollectorRunWords(cmdline.split("\0"));
  }
  const result = await run("ps", ["-o", "stat=", "-o", "command=", "-p", `${pid}`]);
  if (result.code !== 0) return false;
  const line = result.stdout.trim();
  if (!line || line.startsWith("Z")) return false;
  return hasCollectorRunWords(line.split(/\s+/).slice(1));
}

function hasCollectorRunWords(argv: string[]): boolean {
  return argv.some((word, index) => word === "collector" && argv[index + 1] === "run");
}

async function readProcFile(path: string, run: CommandRunner): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) return undefined; // gone, or hidden (hidepid)
  }
  const result = await run("cat", [path]);
  return result.code === 0 ? result.stdout : undefined;
}
