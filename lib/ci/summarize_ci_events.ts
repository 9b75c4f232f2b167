import { HARNESS_NAMES } from "../harness/harness_adapters.ts";

/** Token counts summed over model responses. */
export interface TokenTotals {
  /** Model responses counted (`token_usage` events). */
  responses: number;
  input: number;
  output: number;
  cached: number;
  reasoning: number;
  /** Tokens written to the prompt cache (Claude Code): present only when some response says. */
  cache_write?: number;
  /**
   * The cost the harness itself computed, in US dollars (Claude Code reports one per request;
   * Codex none): present only when some response reported a cost.
   */
  cost_usd?: number;
}

/** What the agents did: counted for the whole run and for each harness. */
export interface CiActivity {
  /** Lines that are events. */
  events: number;
  /** Events per kind, every kind seen. */
  by_kind: Record<string, number>;
  /** Distinct session ids. */
  sessions: number;
  prompts: number;
  commands: number;
  /** Patches applied (`file_change` events). */
  file_changes: number;
  /** Paths those patches touched (the sum of their `path_count`). */
  files_changed: number;
  mcp_calls: number;
  /** Approval decisions that approved (`approved: true`). */
  approvals: number;
  /** Every other decision: denied, abort, ... */
  denials: number;
  /** Tool calls that reported `success: false`. */
  failures: number;
  tokens: TokenTotals;
}

/** One harness's part of a run (its events' `harness`, `unknown` when an event names none). */
export interface CiHarnessActivity extends CiActivity {
  harness: string;
}

/** What a CI run's agents did, counted from the run's runtime log. */
export interface CiSummary extends CiActivity {
  /** Lines that are not (torn, invalid JSON); the first one's reason is in `problems`. */
  unreadable_lines: number;
  /** Up to 5 reasons for unreadable lines, `file:line: reason`. */
  problems: string[];
  /**
   * Per harness, in registry order (then others in order of first appearance); sums to the
   * run's counts.
   */
  by_harness: CiHarnessActivity[];
  /** Per session, in order of first appearance. */
  tokens_by_session: (TokenTotals & { harness: string; session_id: string; model?: string })[];
  /**
   * Per harness and model, in order of first appearance (`unknown` when an event names none).
   */
  tokens_by_model: (TokenTotals & { harness: string; model: string })[];
}

const TOOL_KINDS = new Set(["command_run", "file_change", "mcp_tool_call", "tool_result"]);
const MAX_PROBLEMS = 5;

/**
 * Counts a CI run's events, for the whole run and per harness: the lines of its runtime log as
 * `readRuntimeLog` gives them (an `event`, or an `error` for a line that is not one). Reads
 * nothing itself.
 *
 * @example
 * ```ts
 * const summary = await summarizeCiEvents([
 *   { event: { kind: "session_start", harness: "codex", session_id: "s1" } },
 *   { event: { kind: "token_usage", harness: "claude-code", session_id: "s2", model: "m", input_tokens: 10, output_tokens: 2, cost_usd: 0.01 } },
 * ]);
 * [summary.sessions, summary.tokens.input, summary.by_harness.length]; // [2, 10, 2]
 * ```
 */
export async function summarizeCiEvents(
  lines:
    | Iterable<{ event?: Record<string, unknown>; error?: string }>
    | AsyncIterable<{ event?: Record<string, unknown>; error?: string }>,
): Promise<CiSummary> {
  const run = newActivity();
  const harnesses = new Map<string, ReturnType<typeof newActivity>>();
  let unreadable = 0;
  const problems: string[] = [];
  const bySession = new Map<string, CiSummary["tokens_by_session"][number]>();
  const byModel = new Map<string, CiSummary["tokens_by_model"][number]>();
  for await (const line of lines) {
    const event = line.event;
    if (!event) {
      unreadable++;
      if (line.error && problems.length < MAX_PROBLEMS) problems.push(line.error);
      continue;
    }
    const harness = typeof event.harness === "string" && event.harness ? event.harness : "unknown";
    let own = harnesses.get(harness);
    if (!own) {
      own = newActivity();
      harnesses.set(harness, own);
    }
    countEvent(run, event);
    countEvent(own, event);
    if (event.kind !== "token_usage") continue;
    const model = typeof event.model === "string" && event.model ? event.model : "unknown";
    const modelKey = JSON.stringify([harness, model]);
    let perModel = byModel.get(modelKey);
    if (!perModel) {
      perModel = { harness, model, ...emptyTotals() };
      byModel.set(modelKey, perModel);
    }
    addTokens(perModel, event);
    const session = sessionOf(event) ?? "(no session)";
    const sessionKey = JSON.stringify([harness, session]);
    let perSession = bySession.get(sessionKey);
    if (!perSession) {
      perSession = { harness, session_id: session, ...emptyTotals() };
      if (model !== "unknown") perSession.model = model;
      bySession.set(sessionKey, perSession);
    }
    addTokens(perSession, event);
  }
  return {
    ...run.activity,
    unreadable_lines: unreadable,
    problems,
    by_harness: [...harnesses]
      .map(([harness, own]) => ({ harness, ...own.activity }))
      .sort((a, b) => registryRank(a.harness) - registryRank(b.harness)),
    tokens_by_session: [...bySession.values()],
    tokens_by_model: [...byModel.values()],
  };
}

/** Counts in progress: the activity, and the session ids behind its `sessions`. */
function newActivity(): { activity: CiActivity; sessions: Set<string> } {
  return {
    activity: {
      events: 0,
      by_kind: {},
      sessions: 0,
      prompts: 0,
      commands: 0,
      file_changes: 0,
      files_changed: 0,
      mcp_calls: 0,
      approvals: 0,
      denials: 0,
      failures: 0,
      tokens: emptyTotals(),
    },
    sessions: new Set(),
  };
}

function countEvent(
  counts: { activity: CiActivity; sessions: Set<string> },
  event: Record<string, unknown>,
): void {
  const activity = counts.activity;
  activity.events++;
  const kind = typeof event.kind === "string" ? event.kind : "unknown";
  activity.by_kind[kind] = (activity.by_kind[kind] ?? 0) + 1;
  const session = sessionOf(event);
  if (session) {
    counts.sessions.add(session);
    activity.sessions = counts.sessions.size;
  }
  if (TOOL_KINDS.has(kind) && event.success === false) activity.failures++;
  switch (kind) {
    case "prompt":
      activity.prompts++;
      break;
    case "command_run":
      activity.commands++;
      break;
    case "file_change":
      activity.file_changes++;
      activity.files_changed += count(event.path_count);
      break;
    case "mcp_tool_call":
      activity.mcp_calls++;
      break;
    case "approval":
      if (event.approved === true) activity.approvals++;
      else activity.denials++;
      break;
    case "token_usage":
      addTokens(activity.tokens, event);
      break;
  }
}

/** A harness's place in the registry; one Beacon does not manage comes after them all. */
function registryRank(harness: string): number {
  const index = (HARNESS_NAMES as readonly string[]).indexOf(harness);
  return index === -1 ? HARNESS_NAMES.length : index;
}

function sessionOf(event: Record<string, unknown>): string | undefined {
  return typeof event.session_id === "string" && event.session_id !== ""
    ? event.session_id
    : undefined;
}

function emptyTotals(): TokenTotals {
  return { responses: 0, input: 0, output: 0, cached: 0, reasoning: 0 };
}

function addTokens(totals: TokenTotals, event: Record<string, unknown>): void {
  totals.responses++;
  totals.input += count(event.input_tokens);
  totals.output += count(event.output_tokens);
  totals.cached += count(event.cached_tokens);
  totals.reasoning += count(event.reasoning_tokens);
  if (event.cache_write_tokens !== undefined) {
    totals.cache_write = (totals.cache_write ?? 0) + count(event.cache_write_tokens);
  }
  const cost = event.cost_usd;
  if (typeof cost === "number" && Number.isFinite(cost) && cost >= 0) {
    // Summed in micro-dollars so that many small costs do not drift.
    totals.cost_usd = Math.round(((totals.cost_usd ?? 0) + cost) * 1e6) / 1e6;
  }
}

function count(value: unknown): number {
  // A count beyond 2^53 - 1 arrives as its decimal string (approximated here).
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}
