import type { FileSystem } from "../reconcile/file_system.ts";
import type { CiRunContext } from "./ci_run_context.ts";
import type { CiGates } from "./decide_ci_gates.ts";

/** What `ci start` records for `ci finish` (`<base>/state.json`, mode 0600). */
export interface CiState {
  format_version: 1;
  base_dir: string;
  /** The harnesses the run prepared, in registry order. */
  harnesses: CiHarnessState[];
  /** The run's runtime log (`<base>/logs/runtime.jsonl`). */
  log_path: string;
  /** The collector's own output (`<base>/collector.log`). */
  collector_output_log: string;
  collector_url: string;
  port: number;
  grpc_port?: number;
  pid: number;
  pid_file: string;
  token_file: string;
  /** The run's policy file, as the collector reads it. */
  policy_path: string;
  /** Where the policy came from (a path, or `built-in default (CI)`). */
  policy_source: string;
  started_at: string;
  run_context: CiRunContext;
  /** The policy's `[ci]` gates. */
  gates: CiGates;
  /** Set by `ci finish`. */
  finished_at?: string;
}

/** One harness a run prepared: its folder, the variable and output naming it, its config file. */
export interface CiHarnessState {
  /** `codex`, `claude-code`. */
  name: string;
  /** `CODEX_HOME`, `CLAUDE_CONFIG_DIR`. */
  variable: string;
  /** `codex-home`, `claude-config-dir`. */
  output: string;
  /** `<base>/codex-home`, `<base>/claude-config`. */
  home: string;
  /** The config file Beacon wrote there (`config.toml`, `settings.json`). */
  config_path: string;
}

/** A file name in the base folder. */
export const CI_STATE_FILE = "state.json";

/** `beacon ci finish` cannot go on; exit 1 with this message. */
export class CiStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "Error";
  }
}

/**
 * Reads a CI run's state. Every failure is a {@link CiStateError} that says what to do: no file
 * (was `ci start` run in this job?), not a state file, or a run already finished.
 */
export async function readCiState(fs: FileSystem, path: string): Promise<CiState> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new CiStateError(
      `Cannot read the CI run's state "${path}": ${(error as Error).message}.`,
    );
  }
  if (!bytes) {
    throw new CiStateError(
      `Cannot finish the CI run: no state file at "${path}". Run \`beacon ci start\` first ` +
        "(in the same job), or pass the state-path it printed with --state.",
    );
  }
  let state: Partial<CiState>;
  try {
    state = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new CiStateError(
      `Cannot read the CI run's state "${path}": not valid JSON (${(error as Error).message}).`,
    );
  }
  if (
    typeof state !== "object" || state === null || state.format_version !== 1 ||
    typeof state.log_path !== "string" || typeof state.pid_file !== "string" ||
    typeof state.base_dir !== "string" || !Array.isArray(state.harnesses)
  ) {
    throw new CiStateError(
      `Cannot read the CI run's state "${path}": not a state file written by \`beacon ci start\`.`,
    );
  }
  if (state.finished_at) {
    throw new CiStateError(
      `Cannot finish the CI run: it was already finished at ${state.finished_at} (state ` +
        `"${path}"). Its summary is in ${state.base_dir}/summary.md.`,
    );
  }
  return state as CiState;
}

/** Writes a CI run's state (atomically, 0600). */
export async function writeCiState(fs: FileSystem, path: string, state: CiState): Promise<void> {
  await fs.writeFileAtomic(
    path,
    new TextEncoder().encode(JSON.stringify(state, null, 2) + "\n"),
    0o600,
  );
}
