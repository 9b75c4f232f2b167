/**
 * Every process Beacon starts and leaves running, signals or looks at (the background
 * collector of containers and CI), and the facts about this process that decide how (its user
 * id, how it was started): the `processes` part of the `System`. `realProcesses` is the
 * implementation on the machine; tests hand in a recording one, so the code that starts and
 * stops a collector is the same in both.
 *
 * @module
 */

/** How a background process ended. */
export interface ProcessExit {
  code: number;
  /** The signal that ended it, if one did. */
  signal: string | null;
}

/** A program started in the background (see {@link Processes.startBackground}). */
export interface BackgroundProcess {
  pid: number;
  /** Settles when it exits, while this process is there to see it. */
  exited: Promise<ProcessExit>;
  /** The last lines (at most 20) it wrote to its output file since it was started. */
  outputTail(): Promise<string>;
}

/** Options of {@link Processes.startBackground}. */
export interface StartBackgroundOptions {
  /** Its working folder. */
  cwd: string;
  /** Its whole environment: nothing of this process's is passed on. */
  env: Readonly<Record<string, string>>;
  /** Its stdout and stderr are appended here (created with `outputMode` when missing). */
  outputFile: string;
  outputMode: number;
}

/** Options of {@link Processes.runAttached}. */
export interface AttachedOptions {
  /** Variables added to this process's environment for it. */
  env: Readonly<Record<string, string>>;
  /** Signals sent to this process that are passed on to it while it runs. */
  forwardSignals: readonly ("SIGINT" | "SIGTERM")[];
}

/** `runAttached` could not start the program (not found, not executable). */
export class AttachedStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AttachedStartError";
  }
}

/** What a process is, as far as telling a live collector from something else goes. */
export interface ProcessInfo {
  /** Its state letter as `ps` and `/proc/<pid>/stat` show it (`R`, `S`, `Z` ...). */
  state: string;
  /** Its command line, word by word. */
  argv: string[];
}

/** How this Beacon was started: what a service must run to start it again. */
export interface BeaconRuntime {
  /** `Deno.execPath()`: the compiled binary, or `deno`. */
  execPath: string;
  /** `Deno.mainModule`: the script's URL when run by `deno run`. */
  mainModule: string;
  /** `Deno.build.standalone`: true in a `deno compile` binary. */
  standalone: boolean;
}

/** Processes started, signalled and inspected; see the module documentation. */
export interface Processes {
  /**
   * Starts `cmd` with `args` in its own session, stdin from /dev/null, its output appended to
   * `options.outputFile`, so it keeps running after Beacon exits. The pid is the program's own.
   */
  startBackground(
    cmd: string,
    args: readonly string[],
    options: StartBackgroundOptions,
  ): Promise<BackgroundProcess>;
  /**
   * Runs `cmd` in the foreground, sharing this process's stdin, stdout and stderr (its output
   * streams through unchanged), with `options.env` over this process's environment, and passes
   * on the signals in `options.forwardSignals` while it runs. Resolves with its exit code, or
   * `128 + N` when signal N ended it (as a shell reports it).
   *
   * @throws {AttachedStartError} when the program cannot be started.
   */
  runAttached(cmd: string, args: readonly string[], options: AttachedOptions): Promise<number>;
  /**
   * Sends `signal` to `pid`: `"sent"`, `"gone"` when there is no such process, or
   * `"not-permitted"` when it belongs to another user.
   */
  signal(pid: number, signal: "SIGTERM" | "SIGKILL"): "sent" | "gone" | "not-permitted";
  /** What runs as `pid`, or undefined when nothing does (or it cannot be seen). */
  inspect(pid: number): Promise<ProcessInfo | undefined>;
  /** The user id Beacon runs as (undefined where there is none, e.g. Windows). */
  uid(): number | undefined;
  /** How this Beacon was started. */
  readonly self: BeaconRuntime;
}
