/**
 * The System seam's test doubles, in one place: {@link recordingSystem} (the real disk, with every
 * change and every program run recorded), {@link recordingProcesses} (processes that never touch
 * the machine), {@link recordingRunner} (a scripted `run`), and {@link SERVICE_SYSTEM} (the real
 * files and processes, for tests that start real collectors).
 *
 * @module
 */
import { join } from "node:path";
import { runCli } from "../../lib/cli/run_cli.ts";
import type { Host } from "../../lib/host/host.ts";
import type { System } from "../../lib/host/system.ts";
import type {
  AttachedOptions,
  BackgroundProcess,
  Processes,
  ProcessExit,
  ProcessInfo,
} from "../../lib/host/processes.ts";
import { realProcesses } from "../../lib/host/real_processes.ts";
import type { CommandResult, CommandRunner } from "../../lib/host/run_command.ts";
import type { FileSystem } from "../../lib/reconcile/file_system.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import { serviceFilesOn } from "../../lib/endpoint/service/service_files.ts";
import { makeTempHome } from "./beacon_bundle.ts";

/** The real file system and the machine's processes, as the service code takes them. */
export const SERVICE_SYSTEM = {
  files: serviceFilesOn(realFileSystem),
  processes: realProcesses(),
};

/** A recorded call, as one line: `systemctl --user daemon-reload`. */
export type RecordedCall = string;

/** A stub runner with the calls it received. */
export interface RecordingRunner {
  run: CommandRunner;
  calls: RecordedCall[];
}

/**
 * Answers each call with `answer(line)` (the command and its arguments joined by spaces), or
 * exit 0 with no output when it returns undefined.
 */
export function recordingRunner(
  answer: (line: string) => Partial<CommandResult> | undefined = () => undefined,
): RecordingRunner {
  const calls: RecordedCall[] = [];
  return {
    calls,
    run(command, args) {
      const line = [command, ...args].join(" ");
      calls.push(line);
      return Promise.resolve({ code: 0, stdout: "", stderr: "", ...answer(line) });
    },
  };
}

/** A fake of the machine's processes that records every call (`start ...`, `signal ...`). */
export interface RecordingProcesses extends Processes {
  calls: string[];
  /** Makes a started process exit (as if it crashed or was signalled). */
  exit(pid: number, exit: ProcessExit): void;
}

/**
 * Processes that never touch the machine: `startBackground` hands out pids from 4200 and the
 * process "runs" `collector run` until signalled (SIGTERM and SIGKILL end it), `inspect` knows
 * only the processes it started, `uid()` is `uid`, `runAttached` records the call and answers
 * `attachedExit` (0 by default).
 */
export function recordingProcesses(
  options: { uid?: number; attachedExit?: number } = {},
): RecordingProcesses {
  const calls: string[] = [];
  const running = new Map<number, { argv: string[]; exited: (exit: ProcessExit) => void }>();
  let next = 4200;
  return {
    calls,
    startBackground(cmd, args, start) {
      const pid = next++;
      calls.push(`start ${[cmd, ...args].join(" ")} > ${start.outputFile}`);
      let exited!: (exit: ProcessExit) => void;
      const done = new Promise<ProcessExit>((resolve) => (exited = resolve));
      running.set(pid, { argv: [cmd, ...args], exited });
      const process: BackgroundProcess = {
        pid,
        exited: done,
        outputTail: () => Promise.resolve("  (it printed nothing)"),
      };
      return Promise.resolve(process);
    },
    runAttached(cmd: string, args: readonly string[], _attached: AttachedOptions) {
      calls.push(`run ${[cmd, ...args].join(" ")}`);
      return Promise.resolve(options.attachedExit ?? 0);
    },
    signal(pid, signal) {
      calls.push(`signal ${pid} ${signal}`);
      const process = running.get(pid);
      if (!process) return "gone";
      running.delete(pid);
      process.exited({ code: 128 + (signal === "SIGKILL" ? 9 : 15), signal });
      return "sent";
    },
    inspect(pid): Promise<ProcessInfo | undefined> {
      const process = running.get(pid);
      return Promise.resolve(process ? { state: "S", argv: process.argv } : undefined);
    },
    uid: () => options.uid,
    self: {
      execPath: "/opt/beacon/bin/beacon",
      mainModule: "file:///opt/beacon/main.ts",
      standalone: true,
    },
    exit(pid, exit) {
      running.get(pid)?.exited(exit);
      running.delete(pid);
    },
  };
}

/** A {@link recordingSystem}: what it recorded beside the System itself. */
export type RecordingSystem = System & {
  writes: string[];
  runs: string[];
  processes: RecordingProcesses;
};

/**
 * A System on the real disk that records every change (`mkdir`, `mkdtemp`, `write`, `append`,
 * `remove`, `rmdir`, `lock`, each with its path; a folder only when it is created, only when it is removed)
 * and every program run. Programs are answered by `answer(line)`, else a systemd whose units are
 * inactive (`show`) and that is running.
 */
export function recordingSystem(
  host: Host,
  answer: (line: string) => Partial<CommandResult> | undefined = () => undefined,
): RecordingSystem {
  const writes: string[] = [];
  const runs: string[] = [];
  const fs: FileSystem = {
    ...realFileSystem,
    async ensureDir(path, mode) {
      if (!await realFileSystem.lstat(path)) writes.push(`mkdir ${path}`);
      return realFileSystem.ensureDir(path, mode);
    },
    writeFileAtomic(path, data, mode) {
      writes.push(`write ${path}`);
      return realFileSystem.writeFileAtomic(path, data, mode);
    },
    appendFile(path, data, mode) {
      writes.push(`append ${path}`);
      return realFileSystem.appendFile(path, data, mode);
    },
    async makeTempDir(parent, prefix) {
      const created = await realFileSystem.makeTempDir(parent, prefix);
      writes.push(`mkdtemp ${created}`);
      return created;
    },
    removeFile(path) {
      writes.push(`remove ${path}`);
      return realFileSystem.removeFile(path);
    },
    async removeDir(path, options) {
      const removed = await realFileSystem.removeDir(path, options);
      if (removed) writes.push(`rmdir ${path}`);
      return removed;
    },
    lock(path) {
      writes.push(`lock ${path}`);
      return realFileSystem.lock(path);
    },
  };
  const run: CommandRunner = (cmd, args) => {
    const line = [cmd, ...args].join(" ");
    runs.push(line);
    const show = args.includes("show");
    return Promise.resolve({
      code: 0,
      stdout: show ? "ActiveState=inactive\nSubState=dead\nUnitFileState=\nMainPID=0\n" : "",
      stderr: "",
      ...answer(line),
    });
  };
  return { host, fs, run, processes: recordingProcesses(), writes, runs };
}

/**
 * A temporary machine for tests that drive the CLI through a {@link recordingSystem}: a home
 * with Codex's `config.toml` (`model = "o3"`), a policy whose collector requires `token`, and a
 * Linux host whose service manager is systemd (nothing on PATH, the clock fixed).
 */
export async function codexMachineForSystemTests(token: string) {
  const tmp = await makeTempHome();
  const policyPath = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:1"\ntoken = "${token}"\n`,
  );
  await Deno.mkdir(tmp.codexHome);
  await Deno.writeTextFile(join(tmp.codexHome, "config.toml"), `model = "o3"\n`);
  const host: Host = {
    home: tmp.home,
    cwd: tmp.home,
    systemRoot: join(tmp.home, "root"),
    os: "linux",
    env: { ...tmp.env, PATH: "/nonexistent", BEACON_SERVICE_MANAGER: "systemd" },
    now: () => new Date("2025-01-01T00:00:00Z"),
  };
  return { tmp, policyPath, host };
}

/** Runs the CLI in process on `system`; its exit code and everything it printed. */
export async function runCliOn(system: System, ...argv: string[]) {
  let output = "";
  const code = await runCli(argv, {
    ...system,
    stdout: (text) => (output += text),
    stderr: (text) => (output += text),
  });
  return { code, output };
}
