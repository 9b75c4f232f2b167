/** Token counts summed over model responses. */
export interface TokenTotals {
  /** Model responses counted (`token_usage` events). */
  responses: number;
  input: number;
  output: number;
  cached: number;
  reasoning: number;
}

/** What a CI run's agents did, counted from the run's runtime log. */
export interface CiSummary {
  /** Lines that are events. */
  events: number;
  /** Lines that are not (torn, invalid JSON); the first one's reason is in `problems`. */
  unreadable_lines: number;
  /** Up to 5 reasons for unreadable lines, `file:line: reason`. */
  problems: string[];
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
  /** Per session, in order of first appearance. */
  tokens_by_session: (TokenTotals & { session_id: string; model?: string })[];
  /** Per model, in order of first appearance (`unknown` when an event names none). */
  tokens_by_model: (TokenTotals & { model: string })[];
}

const TOOL_KINDS = new Set(["command_run", "file_change", "mcp_tool_call", "tool_result"]);
const MAX_PROBLEMS = 5;

/**
 * Counts a CI run's events: the lines of its runtime log as `readRuntimeLog` gives them (an
 * `event`, or an `error` for a line that is not one). Reads nothing itself.
 *
 * @example
 * ```ts
 * const summary = await summarizeCiEvents([
 *   { event: { kind: "session_start", session_id: "s1" } },
 *   { event: { kind: "token_usage", session_id: "s1", model: "m", input_tokens: 10, output_tokens: 2 } },
 * ]);
 * [summary.sessions, summary.tokens.input]; // [1, 10]
 * ```
 */
export async function summarizeCiEvents(
  lines:
    | Iterable<{ event?: Record<string, unknown>; error?: string }>
    | AsyncIterable<{ event?: Record<string, unknown>; error?: string }>,
): Promise<CiSummary> {
  const summary: CiSummary = {
    events: 0,
    unreadable_lines: 0,
    problems: [],
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
    tokens_by_session: [],
    tokens_by_model: [],
  };
  const sessions = new Set<string>();
  const bySession = new Map<string, CiSummary["tokens_by_session"][number]>();
  const byModel = new Map<string, CiSummary["tokens_by_model"][number]>();
  for await (const line of lines) {
    const event = line.event;
    if (!event) {
      summary.unreadable_lines++;
      if (line.error && summary.problems.length < MAX_PROBLEMS) summary.problems.push(line.error);
      continue;
    }
    summary.events++;
    const kind = typeof event.kind === "string" ? event.kind : "unknown";
    summary.by_kind[kind] = (summary.by_kind[kind] ?? 0) + 1;
    const session = typeof event.session_id === "string" && event.session_id !== ""
      ? event.session_id
      : undefined;
    if (session) sessions.add(session);
    if (TOOL_KINDS.has(kind) && event.success === false) summary.failures++;
    switch (kind) {
      case "prompt":
        summary.prompts++;
        break;
      case "command_run":
        summary.commands++;
        break;
      case "file_change":
        summary.file_changes++;
        summary.files_changed += count(event.path_count);
        break;
      case "mcp_tool_call":
        summary.mcp_calls++;
        break;
      case "approval":
        if (event.approved === true) summary.approvals++;
        else summary.denials++;
        break;
      case "token_usage": {
        const model = typeof event.model === "string" && event.model ? event.model : "unknown";
        addTokens(summary.tokens, event);
        let perModel = byModel.get(model);
        if (!perModel) {
          perModel = { model, ...emptyTotals() };
          byModel.set(model, perModel);
        }
        addTokens(perModel, event);
        const sessionKey = session ?? "(no session)";
        let perSession = bySession.get(sessionKey);
        if (!perSession) {
          perSession = { session_id: sessionKey, ...emptyTotals() };
          if (model !== "unknown") perSession.model = model;
          bySession.set(sessionKey, perSession);
        }
        addTokens(perSession, event);
        break;
      }
    }
  }
  summary.sessions = sessions.size;
  summary.tokens_by_session = [...bySession.values()];
  summary.tokens_by_model = [...byModel.values()];
  return summary;
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
}

function count(value: unknown): number {
  // A count beyond 2^53 - 1 arrives as its decimal string (approximated here).
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}
