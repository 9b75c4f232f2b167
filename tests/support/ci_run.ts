/** Helpers for tests of `beacon ci`: the run's state, and events sent to the run's collector. */
import { codexLogsBody } from "./codex_payloads.ts";
import { readBeaconEvents } from "./beacon_event_schema.ts";

/** The parts of `state.json` tests use. */
export interface CiStateForTest {
  base_dir: string;
  /** The harnesses the run prepared (`codex`, `claude-code`) and their run folders. */
  harnesses: { name: string; variable: string; home: string; config_path: string }[];
  log_path: string;
  collector_url: string;
  port: number;
  pid: number;
  token_file: string;
  finished_at?: string;
}

/** Reads a run's `state.json`. */
export async function readCiStateFile(path: string): Promise<CiStateForTest> {
  return JSON.parse(await Deno.readTextFile(path));
}

/**
 * Sends `records` Codex-shaped log records of session `sessionId` to the run's collector with the
 * run's token (or `token`), and returns the HTTP status.
 */
export async function sendCiEvents(
  state: CiStateForTest,
  sessionId: string,
  options: { records?: number; token?: string } = {},
): Promise<number> {
  const token = options.token ?? (await Deno.readTextFile(state.token_file)).trim();
  const response = await fetch(`${state.collector_url}/v1/logs`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf", authorization: `Bearer ${token}` },
    body: codexLogsBody(sessionId, options.records ?? 3) as Uint8Array<ArrayBuffer>,
  });
  await response.body?.cancel();
  return response.status;
}

/** The events in a runtime log file (the live file only), each valid against the schema. */
export function readEvents(path: string): Promise<Record<string, unknown>[]> {
  return readBeaconEvents(path);
}

/** Whether process `pid` exists (and is not a zombie). */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}
