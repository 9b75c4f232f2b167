/**
 * The one seam between Beacon's core and the machine: what it knows about the host (paths,
 * environment, clock), its file system, how it runs programs, and the processes it starts,
 * signals and inspects. Built once at the edge
 * ({@link readSystem} in the CLI) and passed down, so planning, applying, dry runs and tests
 * share one code path: a test or a dry run hands in a System that records or refuses writes and
 * processes, and the code under it cannot tell.
 *
 * @module
 */
import { type Host, readHost } from "./host.ts";
import { type CommandRunner, runCommand } from "./run_command.ts";
import type { Processes } from "./processes.ts";
import { realProcesses } from "./real_processes.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";

/** Everything with a side effect that reconcile and the endpoint reach the machine through. */
export interface System {
  /** Paths (home, system root, cwd), environment variables and the clock. */
  host: Host;
  /** Every read and write of a file or folder. */
  fs: FileSystem;
  /** Every program run to completion (probes, `systemctl`, `launchctl`). */
  run: CommandRunner;
  /**
   * Programs left running in the background (the detached collector), signals, what a pid
   * runs, and how this Beacon was started (its user id, its program).
   */
  processes: Processes;
}

/**
 * The real machine: {@link readHost}, the file system on disk and real processes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSystem } from "./system.ts";
 *
 * const system = readSystem();
 * assert.ok((await system.run("sh", ["-c", "echo hi"])).stdout === "hi\n");
 * ```
 */
export function readSystem(): System {
  return { host: readHost(), fs: realFileSystem, run: runCommand, processes: realProcesses() };
}
