import type { BeaconProgram } from "../endpoint/service/build_collector_service_spec.ts";
import { sendLoopbackRequest } from "../endpoint/probe/send_loopback_request.ts";
import { writePidFile } from "../endpoint/service/pid_file.ts";
import { serviceFilesOn } from "../endpoint/service/service_files.ts";
import { DEFAULT_PATH } from "../endpoint/service/start_detached.ts";
import type { ProcessExit } from "../host/processes.ts";
import type { System } from "../host/system.ts";

/** What {@link startCiCollector} needs. */
export interface StartCiCollectorInput {
  /** How to start this Beacon (`currentBeaconProgram()`). */
  program: BeaconProgram;
  /** The run's policy file (its collector.listen is the port to answer on). */
  policyPath: string;
  tokenFile: string;
  /** The run context (`ci_context.json`) the collector stamps on every event it writes. */
  ciContextFile?: string;
  /** The runtime log the policy names: the collector that answers must write there. */
  logPath: string;
  /** Where the collector's own stdout and stderr are appended. */
  outputLog: string;
  pidFile: string;
  /** The run's base folder: the collector's working folder. */
  cwd: string;
  port: number;
  /** Variables passed on (HOME, PATH, DENO_DIR); everything else is left out. */
  env: Record<string, string>;
  /** How long to wait for `/healthz` (default 20 s). */
  timeoutMs?: number;
}

/** The collector exited before it answered; `addressInUse` when its port was taken. */
export class CiCollectorStartError extends Error {
  constructor(message: string, readonly addressInUse: boolean) {
    super(message);
    this.name = "Error";
  }
}

/**
 * Starts one CI run's collector (`beacon collector run --policy ... --token-file ...
 * --ci-context ...`) detached
 * from this process through `system.processes.startBackground`: its own session (setsid), stdin
 * from /dev/null, output appended to `outputLog`, and only the variables in `env`, so the
 * runner's `RUNNER_TRACKING_ID` is not there and the runner does not reap it when the step that
 * started it ends. The recorded pid is the collector's own; the pid file goes through
 * `system.fs`.
 *
 * Returns once the collector answers `GET /healthz` as itself (its pid, writing `logPath`): a
 * process that merely holds the port is not taken for it.
 *
 * @throws {CiCollectorStartError} when the collector exits first (with the end of its output)
 * or does not answer in time (it is then killed).
 */
export async function startCiCollector(
  system: Pick<System, "fs" | "processes">,
  input: StartCiCollectorInput,
): Promise<{ pid: number }> {
  const files = serviceFilesOn(system.fs);
  const child = await system.processes.startBackground(input.program.executable, [
    ...input.program.args,
    "collector",
    "run",
    "--policy",
    input.policyPath,
    "--token-file",
    input.tokenFile,
    ...(input.ciContextFile ? ["--ci-context", input.ciContextFile] : []),
  ], {
    cwd: input.cwd,
    env: { PATH: DEFAULT_PATH, ...input.env },
    outputFile: input.outputLog,
    outputMode: 0o600,
  });
  await writePidFile(files, input.pidFile, child.pid);

  let exited: ProcessExit | undefined;
  child.exited.then((status) => (exited = status));
  const deadline = Date.now() + (input.timeoutMs ?? 20_000);
  const url = new URL(`http://127.0.0.1:${input.port}/healthz`);
  while (true) {
    const answer = await sendLoopbackRequest(url, {
      method: "GET",
      headers: {},
      timeoutMs: 1000,
      maxBytes: 256 * 1024,
    });
    if (answer.ok && answer.status === 200 && isThisCollector(answer.body, child.pid, input)) {
      return { pid: child.pid };
    }
    // Let the status promise settle before deciding the process is still there.
    await new Promise((resolve) => setTimeout(resolve, 10));
    if (exited) {
      await files.removeFile(input.pidFile).catch(() => {});
      const tail = await child.outputTail();
      throw new CiCollectorStartError(
        `Cannot start the run's collector: it exited with code ${exited.code} right after ` +
          `starting. The end of ${input.outputLog}:\n${tail}`,
        /address (already )?in use|EADDRINUSE/i.test(tail),
      );
    }
    if (Date.now() > deadline) {
      system.processes.signal(child.pid, "SIGKILL"); // "gone" already is fine
      await files.removeFile(input.pidFile).catch(() => {});
      throw new CiCollectorStartError(
        `Cannot start the run's collector: it did not answer at ${url} within ` +
          `${Math.round((input.timeoutMs ?? 20_000) / 1000)} s. Its output is in ` +
          `${input.outputLog}.`,
        false,
      );
    }
  }
}

function isThisCollector(body: Uint8Array, pid: number, input: StartCiCollectorInput): boolean {
  try {
    const health = JSON.parse(new TextDecoder().decode(body));
    return health?.service === "beacon-collector" && health.pid === pid &&
      health.runtime_log?.path === input.logPath;
  } catch {
    return false;
  }
}
