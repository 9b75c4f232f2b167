/**
 * What the dashboard's index keeps of one runtime-log event: the columns it filters and sorts on,
 * a one-line summary for lists, and the text the full-text search covers. Pure.
 *
 * The summary and search text are built only from what the event holds after the policy's
 * content rules: dropped and hashed content contributes its size, never text.
 *
 * @module
 */

/** The indexed projection of one event. */
export interface EventRow {
  /** Milliseconds since the epoch; null when `time` is missing or unreadable. */
  timeMs: number | null;
  kind: string;
  sessionId: string | null;
  harness: string | null;
  model: string | null;
  environment: string | null;
  originator: string | null;
  /** One line for lists, at most {@link SUMMARY_CHARS} characters. */
  summary: string;
  /** Kinds, names, kept text, commands and paths, for FTS. */
  searchText: string;
  /** A tool call that failed (success false, or a non-zero exit code). */
  failed: boolean;
  /** An approval decision that was not an approval (denied, abort, ...). */
  denied: boolean;
  approved: boolean;
  inputTokens: number;
  outputTokens: number;
  /** The command line, when kept (command_run). */
  command: string | null;
  /** The working folder, when kept (command_run). */
  workdir: string | null;
  /** The prompt text, when kept. */
  prompt: string | null;
}

/** Longest summary kept in the index. */
export const SUMMARY_CHARS = 240;
/** Longest search text indexed for one event. */
export const SEARCH_TEXT_CHARS = 32 * 1024;

/**
 * The {@link EventRow} of a parsed runtime-log line.
 *
 * @example
 * ```ts
 * import { projectEventRow } from "./project_event_row.ts";
 *
 * const row = projectEventRow({
 *   kind: "command_run", time: "2026-11-25T11:42:42.772Z", session_id: "s1",
 *   command: { mode: "keep", bytes: 10, text: "git status" }, success: true, exit_code: 0,
 * });
 * row.summary; // "git status"
 * row.failed; // false
 * ```
 */
export function projectEventRow(event: Record<string, unknown>): EventRow {
  const kind = str(event.kind) ?? "unknown";
  const parsed = typeof event.time === "string" ? Date.parse(event.time) : NaN;
  const search: string[] = [kind, str(event.source_event) ?? ""];
  const add = (...values: unknown[]) => {
    for (const value of values) {
      if (typeof value === "string" && value) search.push(value);
    }
  };
  add(event.tool_name, event.tool_namespace, event.model, event.session_id);
  let summary = "";
  let failed = false;
  let denied = false;
  let approved = false;
  let inputTokens = 0;
  let outputTokens = 0;
  let command: string | null = null;
  let workdir: string | null = null;
  let prompt: string | null = null;
  const toolFailed = () => event.success === false;

  switch (kind) {
    case "session_start":
      summary = [
        str(event.provider),
        str(event.approval_policy) && `approvals: ${event.approval_policy}`,
        str(event.sandbox_policy) && `sandbox: ${event.sandbox_policy}`,
      ].filter(Boolean).join(" · ");
      add(event.provider, event.approval_policy, event.sandbox_policy);
      break;
    case "prompt":
      prompt = textOf(event.prompt);
      summary = describeContent(event.prompt, event.source_redacted === true);
      add(prompt);
      break;
    case "approval":
      approved = event.approved === true;
      denied = !approved;
      summary = `${str(event.tool_name) ?? "tool"}: ${str(event.decision) ?? "no decision"}` +
        (str(event.decided_by) ? ` (by ${event.decided_by})` : "");
      add(event.decision, event.decided_by);
      break;
    case "command_run":
      command = textOf(event.command);
      workdir = textOf(event.workdir);
      failed = toolFailed() || (typeof event.exit_code === "number" && event.exit_code !== 0);
      summary = command ?? describeContent(event.command ?? event.arguments, false);
      add(command, workdir, textOf(event.output), textOf(event.arguments));
      break;
    case "file_change": {
      failed = toolFailed();
      const paths = Array.isArray(event.paths)
        ? event.paths.filter((p) => typeof p === "string")
        : [];
      summary = paths.length
        ? paths.join(", ")
        : `${num(event.path_count)} path(s), ${str(event.paths_mode) ?? "dropped"}`;
      add(...paths, textOf(event.output));
      break;
    }
    case "mcp_tool_call":
      failed = toolFailed();
      summary = `${str(event.mcp_server) ?? "?"}/${
        str(event.mcp_tool) ?? str(event.tool_name) ?? "?"
      }`;
      add(event.mcp_server, event.mcp_tool, textOf(event.arguments), textOf(event.output));
      break;
    case "tool_result":
      failed = toolFailed();
      summary = str(event.tool_name) ?? "tool";
      add(textOf(event.arguments), textOf(event.output));
      break;
    case "agent_response": {
      const text = textOf(event.response);
      summary = text ?? describeContent(event.response, false);
      add(text);
      break;
    }
    case "automated_review": {
      const rationale = textOf(event.rationale);
      summary = [str(event.outcome), str(event.risk_level) && `risk ${event.risk_level}`, rationale]
        .filter(Boolean).join(" · ");
      denied = event.outcome === "deny";
      add(event.status, event.outcome, event.risk_level, rationale);
      break;
    }
    case "token_usage":
      inputTokens = num(event.input_tokens);
      outputTokens = num(event.output_tokens);
      summary = `${inputTokens.toLocaleString("en-US")} in · ${
        outputTokens.toLocaleString("en-US")
      } out`;
      break;
    case "span": {
      const span = record(event.span);
      summary = str(span?.name) ?? "span";
      failed = span?.status_code === "error";
      add(span?.name);
      break;
    }
    case "metric": {
      const metric = record(event.metric);
      summary = str(metric?.name) ?? "metric";
      add(metric?.name);
      break;
    }
    default:
      summary = kind;
  }
  return {
    timeMs: Number.isFinite(parsed) ? parsed : null,
    kind,
    sessionId: str(event.session_id),
    harness: str(event.harness),
    model: str(event.model),
    environment: str(event.environment),
    originator: str(event.originator),
    summary: oneLine(summary, SUMMARY_CHARS),
    searchText: search.join("\n").slice(0, SEARCH_TEXT_CHARS),
    failed,
    denied,
    approved,
    inputTokens,
    outputTokens,
    command: command === null ? null : oneLine(command, SUMMARY_CHARS),
    workdir: workdir === null ? null : oneLine(workdir, SUMMARY_CHARS),
    prompt: prompt === null ? null : oneLine(prompt, SUMMARY_CHARS),
  };
}

/** The kept text of a content field (keep or redact), else null. */
export function textOf(field: unknown): string | null {
  const value = record(field);
  return value && typeof value.text === "string" ? value.text : null;
}

/** How a content field without text reads in a list: `(dropped, 76 bytes)`. */
function describeContent(field: unknown, sourceRedacted: boolean): string {
  const value = record(field);
  if (!value) return "";
  if (typeof value.text === "string") return value.text;
  if (sourceRedacted) return "(withheld by the harness)";
  const bytes = num(value.bytes);
  if (value.mode === "hash") return `(hashed, ${bytes} bytes)`;
  return `(dropped, ${bytes} bytes)`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? flat.slice(0, max - 1) + "…" : flat;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function num(value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}
