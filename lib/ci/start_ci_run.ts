import { join, resolve } from "../host/file_path.ts";
import type { Host } from "../host/host.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { Policy } from "../policy/policy_schema.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import { applyPlan } from "../reconcile/apply_plan.ts";
import {
  type BeaconProgram,
  currentBeaconProgram,
} from "../endpoint/service/build_collector_service_spec.ts";
import { stopDetached } from "../endpoint/service/stop_detached.ts";
import { serviceFilesOn } from "../endpoint/service/service_files.ts";
import type { System } from "../host/system.ts";
import { ciRunContext } from "./ci_run_context.ts";
import { ciResourceAttributes } from "./ci_resource_attributes.ts";
import { ciRunPolicy, ciRunPolicyToml } from "./ci_run_policy.ts";
import { CI_STATE_FILE, type CiHarnessState, type CiState, writeCiState } from "./ci_state.ts";
import { type CiHarness, ciHarnesses } from "./ci_harnesses.ts";
import { ciRunHost } from "./ci_run_host.ts";
import { CI_CONTEXT_FILE } from "./parse_ci_context_file.ts";
import { loadCiPolicy } from "./load_ci_policy.ts";
import { CiCollectorStartError, startCiCollector } from "./start_ci_collector.ts";

/** Options of {@link startCiRun} (the flags of `beacon ci start`). */
export interface StartCiRunOptions {
  baseDir?: string;
  policyPath?: string;
  /**
   * The harnesses to prepare (`--harness`); every one the policy enables when absent or empty.
   */
  harnesses?: readonly string[];
  /**
   * Harnesses whose run config starts from the runner's own file (`$CODEX_HOME/config.toml` or
   * `~/.codex/config.toml`; `$CLAUDE_CONFIG_DIR/settings.json` or `~/.claude/settings.json`)
   * instead of an empty one. The runner's file is only read.
   */
  inheritConfig?: readonly string[];
  /** How to start Beacon's collector; this Beacon by default. */
  program?: BeaconProgram;
  /** Progress for people (stderr). */
  progress?: (line: string) => void;
}

/** What a started run hands to the CI system. */
export interface CiStartResult {
  statePath: string;
  state: CiState;
  /**
   * For `$GITHUB_OUTPUT`: each prepared harness's folder (`codex-home`, `claude-config-dir`),
   * then `log-path`, `state-path`, `collector-url`.
   */
  outputs: Record<string, string>;
  /**
   * For `$GITHUB_ENV`, `export` lines, or the environment of `ci exec`'s command: each prepared
   * harness's folder variable (`CODEX_HOME`, `CLAUDE_CONFIG_DIR`), then `BEACON_CI_STATE` and
   * `OTEL_RESOURCE_ATTRIBUTES`. Never the token: the harnesses read it from their run config.
   */
  env: Record<string, string>;
  /** Values a CI log must hide (the run's token), for GitHub's `::add-mask::`. Never printed. */
  secrets: string[];
  /** Override layers and the like, for people. */
  warnings: string[];
}

/** The port Codex and an installed endpoint use; a CI run never takes it. */
const ENDPOINT_PORT = 4318;
const START_ATTEMPTS = 3;

/**
 * `beacon ci start`: a base folder for the run, its own collector (detached, on a free loopback
 * port, with a random token, ready before this returns), and, for each harness the policy enables
 * (or `--harness` names), a fresh config folder in the base folder (`codex-home` for
 * `CODEX_HOME`, `claude-config` for `CLAUDE_CONFIG_DIR`) whose config file the reconcile core
 * writes from the run's policy through the harness's adapter, as `apply` would. The runner's own
 * config folders are never written. If a step fails, the collector it started is stopped and the
 * token removed.
 */
export async function startCiRun(
  system: System,
  options: StartCiRunOptions = {},
): Promise<CiStartResult> {
  const { host, fs } = system;
  const progress = options.progress ?? (() => {});
  const loaded = await loadCiPolicy(system, options.policyPath);
  const harnesses = ciHarnesses(loaded.policy, loaded.source, options.harnesses);
  const baseDir = await makeBaseDir(host, fs, options.baseDir);
  const paths = {
    logPath: join(baseDir, "logs", "runtime.jsonl"),
    outputLog: join(baseDir, "collector.log"),
    pidFile: join(baseDir, "collector.pid"),
    tokenFile: join(baseDir, "collector.token"),
    contextFile: join(baseDir, CI_CONTEXT_FILE),
    policyPath: join(baseDir, "policy.toml"),
    statePath: join(baseDir, CI_STATE_FILE),
    ownershipPath: join(baseDir, "ownership.json"),
  };
  const token = randomToken();
  const context = ciRunContext(host.env);
  await fs.ensureDir(join(baseDir, "logs"), 0o700);
  await fs.writeFileAtomic(paths.tokenFile, new TextEncoder().encode(token + "\n"), 0o600);
  // The run's collector stamps this on every event it writes (the actor under the policy's
  // identity rule): the one source for the events, the state and the summary.
  await fs.writeFileAtomic(
    paths.contextFile,
    new TextEncoder().encode(JSON.stringify(context, null, 2) + "\n"),
    0o600,
  );

  const program = options.program ?? currentBeaconProgram(system.processes.self);
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
      const grpcPort = harnesses.some((harness) => transportOf(loaded.policy, harness) === "grpc")
        ? await freeLoopbackPort([port])
        : undefined;
      policy = ciRunPolicy(loaded.policy, { port, grpcPort, logPath: paths.logPath, token });
      await fs.writeFileAtomic(
        paths.policyPath,
        new TextEncoder().encode(ciRunPolicyToml(policy)),
        0o600,
      );
      try {
        const { pid } = await startCiCollector(system, {
          program,
          policyPath: paths.policyPath,
          tokenFile: paths.tokenFile,
          ciContextFile: paths.contextFile,
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

    const { homes, warnings } = await writeHarnessConfigs(host, fs, {
      policy,
      source: loaded.source,
      harnesses,
      baseDir,
      ownershipPath: paths.ownershipPath,
      inherit: options.inheritConfig ?? [],
      progress,
    });

    const collectorUrl = `http://127.0.0.1:${started.port}`;
    const state: CiState = {
      format_version: 1,
      base_dir: baseDir,
      harnesses: homes,
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
        ...Object.fromEntries(homes.map((home) => [home.output, home.home])),
        "log-path": paths.logPath,
        "state-path": paths.statePath,
        "collector-url": collectorUrl,
      },
      env: {
        ...Object.fromEntries(homes.map((home) => [home.variable, home.home])),
        BEACON_CI_STATE: paths.statePath,
        OTEL_RESOURCE_ATTRIBUTES: ciResourceAttributes(
          context,
          host.env.OTEL_RESOURCE_ATTRIBUTES ?? "",
        ),
      },
      secrets: [token],
      warnings,
    };
  } catch (error) {
    if (started) {
      await stopDetached(paths.pidFile, {
        files: serviceFilesOn(fs),
        processes: system.processes,
      }, { timeoutMs: 5_000 }).catch(() => {});
    }
    await fs.removeFile(paths.tokenFile).catch(() => {});
    throw error;
  }
}

/**
 * Writes each harness's run config (in `<base>/<folder>`) through the reconcile core, one plan
 * for all of them; returns where each is and the plan's warnings (override layers).
 */
async function writeHarnessConfigs(
  host: Host,
  fs: FileSystem,
  input: {
    policy: ReturnType<typeof ciRunPolicy>;
    source: string;
    harnesses: CiHarness[];
    baseDir: string;
    ownershipPath: string;
    inherit: readonly string[];
    progress: (line: string) => void;
  },
): Promise<{ homes: CiHarnessState[]; warnings: string[] }> {
  const runHost = ciRunHost(
    host,
    input.harnesses.map(({ home }) => [home.variable, join(input.baseDir, home.folder)]),
  );
  const homes: CiHarnessState[] = [];
  for (const { adapter, home } of input.harnesses) {
    const folder = join(input.baseDir, home.folder);
    await fs.ensureDir(folder, 0o700);
    const configPath = adapter.configPath(runHost, "user");
    if (input.inherit.includes(adapter.name)) {
      const from = adapter.configPath(host, "user");
      const bytes = await fs.readFile(from);
      if (bytes) {
        await fs.writeFileAtomic(configPath, bytes, 0o600);
        input.progress(`beacon ci: ${adapter.name} starts from ${from}`);
      } else {
        input.progress(
          `beacon ci: no ${from} to inherit; ${adapter.name} starts from an empty file`,
        );
      }
    }
    homes.push({
      name: adapter.name,
      variable: home.variable,
      output: home.output,
      home: folder,
      config_path: configPath,
    });
  }
  const ownership = { formatVersion: 1 as const, files: {} };
  // The run's config is the run's own: whatever an inherited file says, Beacon's values win.
  const plan = await computePlan({
    loaded: { policy: input.policy, source: input.source, origin: "--policy" },
    host: runHost,
    fs,
    ownership,
    adapters: input.harnesses.map(({ adapter }) => adapter),
    force: true,
    mode: "user",
  });
  await applyPlan({ plan, fs, ownership, statePath: input.ownershipPath });
  return {
    homes,
    warnings: plan.warnings.map((warning) => `${warning.target}: ${warning.message}`),
  };
}

function transportOf(policy: Policy, harness: CiHarness): string | undefined {
  return (policy.harnesses as Record<string, { transport?: string } | undefined>)[
    harness.adapter.name
  ]?.transport;
}

/**
 * The run's folder: `--base-dir` (refused when it holds a run), else a new folder in
 * `$RUNNER_TEMP/beacon`, else in the temporary folder (`$TMPDIR`, else `/tmp`).
 */
async function makeBaseDir(
  host: Host,
  fs: FileSystem,
  explicit: string | undefined,
): Promise<string> {
  if (explicit) {
    const dir = resolve(host.cwd, explicit);
    await fs.ensureDir(dir, 0o700);
    if (await fs.lstat(join(dir, CI_STATE_FILE))) {
      throw new Error(
        `Cannot start a CI run in "${dir}": it already holds a run (${CI_STATE_FILE}). ` +
          "Finish that run, or give --base-dir a new folder.",
      );
    }
    return dir;
  }
  if (host.env.RUNNER_TEMP) {
    const parent = join(host.env.RUNNER_TEMP, "beacon");
    await fs.ensureDir(parent, 0o700);
    return await fs.makeTempDir(parent, "run-");
  }
  return await fs.makeTempDir(host.env.TMPDIR || "/tmp", "beacon-ci-");
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
