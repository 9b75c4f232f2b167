import { join } from "../host/file_path.ts";
import type { Host } from "../host/host.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { computePlan } from "../reconcile/compute_plan.ts";
import { readOwnershipState } from "../reconcile/ownership_store.ts";
import { harnessAdapter } from "../harness/harness_adapters.ts";
import type { HarnessAdapter } from "../harness/harness_adapter.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { stopDetached, type StopDetachedResult } from "../endpoint/service/stop_detached.ts";
import { serviceFilesOn } from "../endpoint/service/service_files.ts";
import type { System } from "../host/system.ts";
import { readRuntimeLog } from "../runtime_log/read_runtime_log.ts";
import { listRuntimeLogArchives } from "../runtime_log/list_runtime_log_archives.ts";
import { type CiState, CiStateError, readCiState, writeCiState } from "./ci_state.ts";
import { type CiGateDecision, type CiGates, decideCiGates } from "./decide_ci_gates.ts";
import { type CiSummary, summarizeCiEvents } from "./summarize_ci_events.ts";
import { type CiReport, renderCiSummaryMarkdown } from "./render_ci_summary.ts";
import { ciRunHost } from "./ci_run_host.ts";
import { eventCiRun } from "./event_ci_run.ts";
import { readCollectorToken } from "../endpoint/collector_token.ts";
import type { BeaconEventCiRun } from "../events/beacon_event.ts";

/** Options of {@link finishCiRun} (the flags of `beacon ci finish`). */
export interface FinishCiRunOptions {
  statePath: string;
  /** Flags that override the policy's `[ci]` gates. */
  gates?: Partial<CiGates>;
  /** How long the collector gets after SIGTERM before SIGKILL (default 10 s). */
  stopTimeoutMs?: number;
  /** Progress for people (stderr). */
  progress?: (line: string) => void;
}

/** What a finished run reports. */
export interface CiFinishResult {
  state: CiState;
  report: CiReport;
  markdown: string;
  /** What `summary.json` and `ci finish --json` hold. */
  json: CiSummaryJson;
  /** `<base>/summary.md` and `<base>/summary.json`. */
  summaryPath: string;
  summaryJsonPath: string;
  /** How the collector was stopped; `not-running` when it had died. */
  collector: StopDetachedResult;
}

/** The JSON of `summary.json` and `ci finish --json`. */
export interface CiSummaryJson {
  log_path: string;
  summary_path: string;
  collector: StopDetachedResult;
  /**
   * The run, exactly as its events' `ci` field names it (metadata scrubbed, the actor under the
   * policy's identity rule), so a summary and the events it counts join on the same values.
   */
  run_context: BeaconEventCiRun;
  summary: CiSummary;
  gates: CiGates & CiGateDecision;
  warnings: string[];
}

/**
 * `beacon ci finish`: stops the run's collector gracefully (SIGTERM: everything it acknowledged
 * is synced; SIGKILL after the timeout), removes the run's token, checks that Beacon's settings
 * in each harness's run config are still as written (other edits, such as codex-action's model
 * provider, are fine), summarises the run's log with its archives, decides the gates, and writes
 * `summary.md` and `summary.json` in the base folder. The state is marked finished whatever
 * happens after the stop, so a second finish says so.
 *
 * @throws {CiStateError} no state, an unreadable one, a run already finished, or a missing log.
 */
export async function finishCiRun(
  system: System,
  options: FinishCiRunOptions,
): Promise<CiFinishResult> {
  const { host, fs } = system;
  const progress = options.progress ?? (() => {});
  const state = await readCiState(fs, options.statePath);
  const warnings: string[] = [];
  // The token the run's harness configs were written with (checked below); none if unreadable.
  const token = await readCollectorToken(fs, state.token_file).catch(() => undefined);

  const collector = await stopDetached(state.pid_file, {
    files: serviceFilesOn(fs),
    processes: system.processes,
  }, { timeoutMs: options.stopTimeoutMs ?? 10_000 });
  if (collector === "not-running") {
    warnings.push(
      `the run's collector (pid ${state.pid}) was not running at finish: it died or was ` +
        "killed; the summary holds every event it acknowledged before",
    );
  } else if (collector === "killed") {
    warnings.push(`the run's collector (pid ${state.pid}) did not stop in time and was killed`);
  }
  progress(`beacon ci: collector ${state.pid} ${collector === "stopped" ? "stopped" : collector}`);

  try {
    warnings.push(...await checkHarnessConfigs(host, fs, state, token));
    // The token is worthless once the collector is gone; still, nothing keeps it but the
    // harnesses' run configs (they need it there literally).
    await fs.removeFile(state.token_file);
    await fs.removeFile(join(state.base_dir, "ownership.json"));
    await writeCiState(fs, options.statePath, { ...state, finished_at: host.now().toISOString() });

    if (!await logExists(fs, state.log_path)) {
      throw new CiStateError(
        `Cannot summarise the CI run: its log "${state.log_path}" is missing (deleted?), and ` +
          "it has no archives. The collector was stopped; nothing else can be recovered.",
      );
    }
    const summary = await summarizeCiEvents(readRuntimeLog(state.log_path));
    if (summary.unreadable_lines) {
      warnings.push(
        `${summary.unreadable_lines} line(s) of the log are not events (first: ${
          summary.problems[0]
        })`,
      );
    }
    const gates: CiGates = {
      min_events: options.gates?.min_events ?? state.gates.min_events,
      require: options.gates?.require ?? state.gates.require,
      require_telemetry: options.gates?.require_telemetry ?? state.gates.require_telemetry,
    };
    const decision = decideCiGates(summary, gates);
    const run = eventCiRun(state.run_context, await contentRulesOf(fs, state));
    const report: CiReport = {
      summary,
      gates: decision,
      context: run,
      logPath: state.log_path,
      warnings,
    };
    const markdown = renderCiSummaryMarkdown(report);
    const summaryPath = join(state.base_dir, "summary.md");
    const summaryJsonPath = join(state.base_dir, "summary.json");
    const json: CiSummaryJson = {
      log_path: state.log_path,
      summary_path: summaryPath,
      collector,
      run_context: run,
      summary,
      gates: { ...gates, ...decision },
      warnings,
    };
    await fs.writeFileAtomic(summaryPath, new TextEncoder().encode(markdown), 0o600);
    await fs.writeFileAtomic(
      summaryJsonPath,
      new TextEncoder().encode(JSON.stringify(json, null, 2) + "\n"),
      0o600,
    );
    return { state, report, markdown, json, summaryPath, summaryJsonPath, collector };
  } catch (error) {
    // Whatever went wrong after the stop, the run is over: a second finish must say so.
    await fs.removeFile(state.token_file).catch(() => {});
    const again = await fs.readFile(options.statePath).catch(() => undefined);
    if (again && !new TextDecoder().decode(again).includes('"finished_at"')) {
      await writeCiState(fs, options.statePath, {
        ...state,
        finished_at: host.now().toISOString(),
      }).catch(() => {});
    }
    throw error;
  }
}

/**
 * A warning for each harness whose Beacon values in its run config were changed or removed since
 * `ci start` (the harness may then have sent its telemetry elsewhere); none when all are intact.
 * Everything else in those files (codex-action's `model_provider` and its provider table, Claude
 * Code's own `.claude.json` and sessions) is not Beacon's business.
 */
async function checkHarnessConfigs(
  host: Host,
  fs: FileSystem,
  state: CiState,
  token: string | undefined,
): Promise<string[]> {
  const prepared = state.harnesses.flatMap((harness) => {
    const adapter = harnessAdapter(harness.name);
    return adapter ? [{ harness, adapter }] : [];
  });
  let policy;
  let ownership;
  try {
    const text = await fs.readFile(state.policy_path);
    if (!text) throw new Error(`the run's policy "${state.policy_path}" is gone`);
    policy = parsePolicy(new TextDecoder().decode(text), state.policy_path);
    if (token) policy.collector.token = token;
    ownership = await readOwnershipState(fs, join(state.base_dir, "ownership.json"));
  } catch (error) {
    return [`cannot check the harnesses' run configs: ${(error as Error).message}`];
  }
  const runHost = ciRunHost(
    host,
    state.harnesses.map((harness) => [harness.variable, harness.home]),
  );
  const warnings: string[] = [];
  for (const { harness, adapter } of prepared) {
    try {
      const keys = await changedKeys(adapter, { policy, ownership, host: runHost, fs, state });
      if (!keys.length) continue;
      warnings.push(
        `Beacon's settings in ${harness.config_path} were changed during the run ` +
          `(${keys.join(", ")}): ${adapter.displayName} may have sent telemetry elsewhere`,
      );
    } catch (error) {
      warnings.push(`cannot check ${harness.config_path}: ${(error as Error).message}`);
    }
  }
  return warnings;
}

async function changedKeys(
  adapter: HarnessAdapter,
  input: {
    policy: ReturnType<typeof parsePolicy>;
    ownership: Awaited<ReturnType<typeof readOwnershipState>>;
    host: Host;
    fs: FileSystem;
    state: CiState;
  },
): Promise<string[]> {
  const plan = await computePlan({
    loaded: { policy: input.policy, source: input.state.policy_path, origin: "--policy" },
    host: input.host,
    fs: input.fs,
    ownership: input.ownership,
    adapters: [adapter],
    force: false,
    mode: "user",
  });
  return [
    ...new Set(plan.steps.flatMap((step) => [
      ...step.changes.map((change) => change.key),
      ...step.conflicts.map((conflict) => conflict.key),
    ])),
  ];
}

/**
 * The run policy's content rules, which its collector stamped the events' `ci` with; when the
 * policy cannot be read (a warning says so already), the actor is dropped rather than guessed.
 */
async function contentRulesOf(
  fs: FileSystem,
  state: CiState,
): Promise<Parameters<typeof eventCiRun>[1]> {
  try {
    const text = await fs.readFile(state.policy_path);
    if (text) return parsePolicy(new TextDecoder().decode(text), state.policy_path).content;
  } catch {
    // Reported by the harness config check.
  }
  return { identity: "drop", max_field_bytes: 4096 };
}

async function logExists(fs: FileSystem, path: string): Promise<boolean> {
  if (await fs.lstat(path)) return true;
  return (await listRuntimeLogArchives(path)).length > 0;
}
