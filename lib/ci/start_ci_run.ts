import { join, resolve } from "node:path";
import type { Host } from "../host/host.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import { applyPlan } from "../reconcile/apply_plan.ts";
import { codexAdapter } from "../harness/codex/codex_adapter.ts";
import { codexConfigPath } from "../harness/codex/codex_home.ts";
import {
  type BeaconProgram,
  currentBeaconProgram,
} from "../endpoint/service/build_collector_service_spec.ts";
import { stopDetached } from "../endpoint/service/stop_detached.ts";
import { ciRunContext } from "./ci_run_context.ts";
import { ciResourceAttributes } from "./ci_resource_attributes.ts";
import { ciRunPolicy, ciRunPolicyToml } from "./ci_run_policy.ts";
import { CI_STATE_FILE, type CiState, writeCiState } from "./ci_state.ts";
import { loadCiPolicy } from "./load_ci_policy.ts";
import { CiCollectorStartError, startCiCollector } from "./start_ci_collector.ts";

/** Options of {@link startCiRun} (the flags of `beacon ci start`). */
export interface StartCiRunOptions {
  baseDir?: string;
  policyPath?: string;
  /** Start from the existing `$CODEX_HOME/config.toml` (or `~/.codex/config.toml`). */
  inheritCodexConfig?: boolean;
  /** How to start Beacon's collector; this Beacon by default. */
  program?: BeaconProgram;
  /** Progress for people (stderr). */
  progress?: (line: string) => void;
}

/** What a started run hands to the CI system. */
export interface CiStartResult {
  statePath: string;
  state: CiState;
  /** For `$GITHUB_OUTPUT`. */
  outputs: {
    "codex-home": string;
    "log-path": string;
    "state-path": string;
    "collector-url": string;
  };
  /** For `$GITHUB_ENV`, `export` lines, or the environment of `ci exec`'s command. */
  env: { CODEX_HOME: string; BEACON_CI_STATE: string; OTEL_RESOURCE_ATTRIBUTES: string };
  /** Override layers and the like, for people. */
  warnings: string[];
}

/** The port Codex and an installed endpoint use; a CI run never takes it. */
const ENDPOINT_PORT = 4318;
const START_ATTEMPTS = 3;

/**
 * `beacon ci start`: a base folder for the run, its own collector (detached, on a free loopback
 * port, with a random token, ready before this returns), and a fresh `CODEX_HOME` whose
 * `config.toml` the reconcile core writes from the run's policy. If a step fails, the collector
 * it started is stopped and the token removed.
 */
export async function startCiRun(
  host: Host,
  fs: FileSystem,
  options: StartCiRunOptions = {},
): Promise<CiStartResult> {
  const progress = options.progress ?? (() => {});
  const loaded = await loadCiPolicy(host, options.policyPath);
  const baseDir = await makeBaseDir(host, options.baseDir);
  const paths = {
    codexHome: join(baseDir, "codex-home"),
    logPath: join(baseDir, "logs", "runtime.jsonl"),
    outputLog: join(baseDir, "collector.log"),
    pidFile: join(baseDir, "collector.pid"),
    tokenFile: join(baseDir, "collector.token"),
    policyPath: join(baseDir, "policy.toml"),
    statePath: join(baseDir, CI_STATE_FILE),
    ownershipPath: join(baseDir, "ownership.json"),
  };
  const token = randomToken();
  await fs.ensureDir(join(baseDir, "logs"), 0o700);
  await fs.writeFileAtomic(paths.tokenFile, new TextEncoder().encode(token + "\n"), 0o600);

  const program = options.program ?? currentBeaconProgram();
  const collectorEnv: Record<string, string> = { HOME: host.home };
  for (const name of ["PATH", "DENO_DIR", "TMPDIR", "NO_COLOR"]) {
    const value = host.env[name];
    if (value) collectorEnv[name] = value;
  }
  let started: { pid: number; port: number; grpcPort?: number } | undefined;
  try {
    let policy;
    for (let attempt = 1;; attempt++) {
      const port = await freeLoopbackPort();
      const grpcPort = loaded.policy.harnesses.codex.transport === "grpc"
        ? await freeLoopbackPort([port])
        : undefined;
      policy = ciRunPolicy(loaded.policy, { port, grpcPort, logPath: paths.logPath, token });
      await fs.writeFileAtomic(
        paths.policyPath,
        new TextEncoder().encode(ciRunPolicyToml(policy)),
        0o600,
      );
      try {
        const { pid } = await startCiCollector({
          program,
          policyPath: paths.policyPath,
          tokenFile: paths.tokenFile,
          logPath: paths.logPath,
          outputLog: paths.outputLog,
          pidFile: paths.pidFile,
          cwd: baseDir,
          port,
          env: collectorEnv,
        });
        started = { pid, port, grpcPort };
        break;
      } catch (error) {
        // Another process took the port between choosing and binding it: choose again.
        if (!(error instanceof CiCollectorStartError && error.addressInUse)) throw error;
        if (attempt >= START_ATTEMPTS) throw error;
      }
    }
    progress(`beacon ci: collector ${started.pid} listening on 127.0.0.1:${started.port}`);

    const warnings = await writeCodexConfig(host, fs, {
      policy,
      source: loaded.source,
      codexHome: paths.codexHome,
      ownershipPath: paths.ownershipPath,
      inherit: options.inheritCodexConfig === true,
      progress,
    });

    const collectorUrl = `http://127.0.0.1:${started.port}`;
    const context = ciRunContext(host.env);
    const state: CiState = {
      format_version: 1,
      base_dir: baseDir,
      codex_home: paths.codexHome,
      config_path: join(paths.codexHome, "config.toml"),
      log_path: paths.logPath,
      collector_output_log: paths.outputLog,
      collector_url: collectorUrl,
      port: started.port,
      ...(started.grpcPort !== undefined ? { grpc_port: started.grpcPort } : {}),
      pid: started.pid,
      pid_file: paths.pidFile,
      token_file: paths.tokenFile,
      policy_path: paths.policyPath,
      policy_source: loaded.source,
      started_at: host.now().toISOString(),
      run_context: context,
      gates: { ...policy.ci, require: [...policy.ci.require] },
    };
    await writeCiState(fs, paths.statePath, state);
    return {
      statePath: paths.statePath,
      state,
      outputs: {
        "codex-home": paths.codexHome,
        "log-path": paths.logPath,
        "state-path": paths.statePath,
        "collector-url": collectorUrl,
      },
      env: {
        CODEX_HOME: paths.codexHome,
        BEACON_CI_STATE: paths.statePath,
        OTEL_RESOURCE_ATTRIBUTES: ciResourceAttributes(
          context,
          host.env.OTEL_RESOURCE_ATTRIBUTES ?? "",
        ),
      },
      warnings,
    };
  } catch (error) {
    if (started) await stopDetached(paths.pidFile, { timeoutMs: 5_000 }).catch(() => {});
    await fs.removeFile(paths.tokenFile).catch(() => {});
    throw error;
  }
}

/** Writes the run's `config.toml` through the reconcile core; returns the plan's warnings. */
async function writeCodexConfig(
  host: Host,
  fs: FileSystem,
  input: {
    policy: ReturnType<typeof ciRunPolicy>;
    source: string;
    codexHome: string;
    ownershipPath: string;
    inherit: boolean;
    progress: (line: string) => void;
  },
): Promise<string[]> {
  const runHost: Host = { ...host, env: { ...host.env, CODEX_HOME: input.codexHome } };
  await fs.ensureDir(input.codexHome, 0o700);
  if (input.inherit) {
    const from = codexConfigPath(host);
    const bytes = await fs.readFile(from);
    if (bytes) {
      await fs.writeFileAtomic(codexConfigPath(runHost), bytes, 0o600);
      input.progress(`beacon ci: starting from ${from}`);
    } else {
      input.progress(`beacon ci: no ${from} to inherit; starting from an empty config`);
    }
  }
  const ownership = { formatVersion: 1 as const, files: {} };
  // The run's config is the run's own: whatever an inherited file says, Beacon's values win.
  const plan = await computePlan({
    loaded: { policy: input.policy, source: input.source, origin: "--policy" },
    host: runHost,
    fs,
    ownership,
    adapters: [codexAdapter],
    force: true,
  });
  await applyPlan({ plan, fs, ownership, statePath: input.ownershipPath });
  return plan.warnings.map((warning) => `${warning.target}: ${warning.message}`);
}

async function makeBaseDir(host: Host, explicit: string | undefined): Promise<string> {
  if (explicit) {
    const dir = resolve(host.cwd, explicit);
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      await Deno.lstat(join(dir, CI_STATE_FILE));
      throw new Error(
        `Cannot start a CI run in "${dir}": it already holds a run (${CI_STATE_FILE}). ` +
          "Finish that run, or give --base-dir a new folder.",
      );
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return dir;
  }
  if (host.env.RUNNER_TEMP) {
    const parent = join(host.env.RUNNER_TEMP, "beacon");
    await Deno.mkdir(parent, { recursive: true, mode: 0o700 });
    return await Deno.makeTempDir({ dir: parent, prefix: "run-" });
  }
  return await Deno.makeTempDir({ prefix: "beacon-ci-" });
}

/** A free TCP port on 127.0.0.1, never 4318 nor one in `avoid`. */
async function freeLoopbackPort(avoid: number[] = []): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    if (port !== ENDPOINT_PORT && !avoid.includes(port)) return port;
    await Promise.resolve();
  }
  throw new Error("Cannot find a free port on 127.0.0.1 for the run's collector.");
}

/** 32 random bytes, base64url: 43 printable characters. */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}
