/**
 * The System parts the service code reaches the machine through (`files`, `processes`): the
 * real ones for tests that start real processes, and a recording fake for tests that must not.
 */
import type {
  BackgroundProcess,
  Processes,
  ProcessExit,
  ProcessInfo,
} from "../../../lib/host/processes.ts";
import { realProcesses } from "../../../lib/host/real_processes.ts";
import { serviceFilesOn } from "../../../lib/endpoint/service/service_files.ts";
import { realFileSystem } from "../../../lib/reconcile/real_file_system.ts";

/** The real file system and the machine's processes. */
export const SYSTEM = { files: serviceFilesOn(realFileSystem), processes: realProcesses() };

/** A fake of the machine's processes that records every call (`start ...`, `signal ...`). */
export interface RecordingProcesses extends Processes {
  calls: string[];
  /** Makes a started process exit (as if it crashed or was signalled). */
  exit(pid: number, exit: ProcessExit): void;
}

/**
 * Processes that never touch the machine: `startBackground` hands out pids from 4200 and the
 * process "runs" `collector run` until signalled (SIGTERM and SIGKILL end it), `inspect` knows
 * only the processes it started, `uid()` is `uid`.
 */
export function recordingProcesses(options: { uid?: number } = {}): RecordingProcesses {
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
