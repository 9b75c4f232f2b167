import type { BeaconProgram } from "../endpoint/service/build_collector_service_spec.ts";
import { sendLoopbackRequest } from "../endpoint/probe/send_loopback_request.ts";
import { writePidFile } from "../endpoint/service/pid_file.ts";

/** What {@link startCiCollector} needs. */
export interface StartCiCollectorInput {
  /** How to start this Beacon (`currentBeaconProgram()`). */
  program: BeaconProgram;
  /** The run's policy file (its collector.listen is the port to answer on). */
  policyPath: string;
  tokenFile: string;
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

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Starts one CI run's collector (`beacon collector run --policy ... --token-file ...`) detached
 * from this process: its own session (setsid), stdin from /dev/null, output appended to
 * `outputLog`, and only the variables in `env`, so the runner's `RUNNER_TRACKING_ID` is not
 * there and the runner does not reap it when the step that started it ends. `/bin/sh` sets up
 * the redirection and `exec`s the collector, so the recorded pid is the collector's own.
 *
 * Returns once the collector answers `GET /healthz` as itself (its pid, writing `logPath`): a
 * process that merely holds the port is not taken for it.
 *
 * @throws {CiCollectorStartError} when the collector exits first (with the end of its output)
 * or does not answer in time (it is then killed).
 */
export async function startCiCollector(input: StartCiCollectorInput): Promise<{ pid: number }> {
  const output = await Deno.open(input.outputLog, { append: true, create: true, mode: 0o600 });
  const outputStart = (await output.stat()).size;
  output.close();
  const child = new Deno.Command("/bin/sh", {
    args: [
      "-c",
      'unset PWD; log=$1; shift; exec "$@" </dev/null >>"$log" 2>&1',
      "beacon-ci-collector",
      input.outputLog,
      input.program.executable,
      ...input.program.args,
      "collector",
      "run",
      "--policy",
      input.policyPath,
      "--token-file",
      input.tokenFile,
    ],
    cwd: input.cwd,
    env: { PATH: DEFAULT_PATH, ...input.env },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref(); // `ci start` exits while the collector runs on
  await writePidFile(input.pidFile, child.pid);

  let exited: Deno.CommandStatus | undefined;
  child.status.then((status) => (exited = status));
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
      await Deno.remove(input.pidFile).catch(() => {});
      const tail = await readTail(input.outputLog, outputStart);
      throw new CiCollectorStartError(
        `Cannot start the run's collector: it exited with code ${exited.code} right after ` +
          `starting. The end of ${input.outputLog}:\n${tail}`,
        /address (already )?in use|EADDRINUSE/i.test(tail),
      );
    }
    if (Date.now() > deadline) {
      try {
        Deno.kill(child.pid, "SIGKILL");
      } catch {
        // gone already
      }
      await Deno.remove(input.pidFile).catch(() => {});
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

async function readTail(path: string, from: number): Promise<string> {
  try {
    const bytes = await Deno.readFile(path);
    const text = new TextDecoder().decode(bytes.subarray(from)).trimEnd();
    if (!text) return "  (it printed nothing)";
    return text.split("\n").slice(-20).map((line) => `  ${line}`).join("\n");
  } catch (error) {
    return `  (cannot read it: ${(error as Error).message})`;
  }
}
