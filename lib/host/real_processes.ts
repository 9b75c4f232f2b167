/**
 * {@link Processes} on the real machine.
 *
 * @module
 */
import { type CommandRunner, runCommand } from "./run_command.ts";
import { runAttached } from "./run_attached.ts";
import type {
  BackgroundProcess,
  Processes,
  ProcessInfo,
  StartBackgroundOptions,
} from "./processes.ts";

/** What {@link realProcesses} reads the machine with (injected to test the `ps` path). */
export interface RealProcessesOptions {
  /** `Deno.build.os` by default. */
  os?: string;
  /** Runs `cat` (Linux, without `--allow-all`) or `ps` (elsewhere); `runCommand` by default. */
  run?: CommandRunner;
}

/**
 * The machine's processes. `inspect` on Linux reads `/proc/<pid>/stat` and `/proc/<pid>/cmdline`;
 * Deno lets a program read `/proc` only with `--allow-all`, which the compiled binary does not
 * have, so without it a `cat` child process reads them (`cat` is in every Linux image; `ps` is
 * missing from slim containers, where the background collector runs). Elsewhere it asks
 * `ps -o stat= -o command= -p <pid>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { realProcesses } from "./real_processes.ts";
 * const info = await realProcesses().inspect(Deno.pid);
 * assert.ok(info !== undefined && info.argv.length > 0);
 * ```
 */
export function realProcesses(options: RealProcessesOptions = {}): Processes {
  const os = options.os ?? Deno.build.os;
  const run = options.run ?? runCommand;
  return {
    startBackground,
    runAttached,
    signal(pid, signal) {
      try {
        Deno.kill(pid, signal);
        return "sent";
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return "gone";
        if (error instanceof Deno.errors.PermissionDenied) return "not-permitted";
        throw error;
      }
    },
    inspect: (pid) => inspect(pid, os, run),
    uid: () => Deno.uid() ?? undefined,
    self: {
      execPath: Deno.execPath(),
      mainModule: Deno.mainModule,
      standalone: Deno.build.standalone,
    },
  };
}

async function startBackground(
  cmd: string,
  args: readonly string[],
  options: StartBackgroundOptions,
): Promise<BackgroundProcess> {
  // Created here so its mode is ours, not the shell's umask; `>>` then only appends.
  const log = await Deno.open(options.outputFile, {
    append: true,
    create: true,
    mode: options.outputMode,
  });
  const outputStart = (await log.stat()).size; // a tail shows only what this start printed
  log.close();
  const child = new Deno.Command("/bin/sh", {
    // `exec`: the recorded pid is the program's own, not the shell's.
    args: [
      "-c",
      'unset PWD; log=$1; shift; exec "$@" </dev/null >>"$log" 2>&1',
      "beacon-background",
      options.outputFile,
      cmd,
      ...args,
    ],
    cwd: options.cwd,
    env: { ...options.env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true, // its own session (setsid)
  }).spawn();
  child.unref(); // the CLI may exit while it runs on
  return {
    pid: child.pid,
    exited: child.status.then((status) => ({ code: status.code, signal: status.signal })),
    outputTail: () => tail(options.outputFile, outputStart),
  };
}

/** The last lines (at most 20, from the last 16 KiB) written to `path` after `from`. */
async function tail(path: string, from: number): Promise<string> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(path, { read: true });
    const size = (await file.stat()).size;
    const start = Math.max(from, size - 16 * 1024);
    await file.seek(start, Deno.SeekMode.Start);
    const bytes = new Uint8Array(size - start);
    let read = 0;
    while (read < bytes.length) {
      const n = await file.read(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    const text = new TextDecoder().decode(bytes.subarray(0, read)).trimEnd();
    if (!text) return "  (it printed nothing)";
    return text.split("\n").slice(-20).map((line) => `  ${line}`).join("\n");
  } catch (error) {
    return `  (cannot read it: ${(error as Error).message})`;
  } finally {
    file?.close();
  }
}

async function inspect(
  pid: number,
  os: string,
  run: CommandRunner,
): Promise<ProcessInfo | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (os === "linux") {
    const stat = await readProcFile(`/proc/${pid}/stat`, run);
    const cmdline = await readProcFile(`/proc/${pid}/cmdline`, run);
    if (stat === undefined || cmdline === undefined) return undefined;
    // The state follows the command name, which is in parentheses and may itself hold ") ".
    const at = stat.lastIndexOf(")");
    return { state: stat.slice(at + 2, at + 3), argv: cmdline.split("\0").filter(Boolean) };
  }
  const result = await run("ps", ["-o", "stat=", "-o", "command=", "-p", `${pid}`]);
  if (result.code !== 0) return undefined;
  const line = result.stdout.trim();
  if (!line) return undefined;
  const [state, ...argv] = line.split(/\s+/);
  return { state, argv };
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
