/**
 * The overview page's figures for a time range, from the index's hourly roll-ups and session
 * aggregates (never a scan of the events), so it costs the same on a day of logs as on a year.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** A time range in epoch milliseconds; a missing end is open. */
export interface TimeRange {
  fromMs?: number;
  toMs?: number;
}

/** What the overview shows. */
export interface Overview {
  totals: {
    events: number;
    sessions: number;
    prompts: number;
    commands: number;
    filesChanged: number;
    mcpCalls: number;
    approvals: number;
    denials: number;
    failures: number;
    inputTokens: number;
    outputTokens: number;
    unreadableLines: number;
  };
  /** Events over time: bucket starts (seconds, for the chart) and counts per series. */
  timeline: {
    bucketSeconds: number;
    times: number[];
    events: number[];
    commands: number[];
    failures: number[];
  };
  /** Tokens by day and model. */
  tokensByDay: { days: number[]; models: string[]; input: number[][]; output: number[][] };
  tokensByModel: { model: string; input: number; output: number; responses: number }[];
  latestSessions: SessionSummary[];
  /** The newest lines that are not events (unreadable JSON, overlong, not an event). */
  errors: { seq: number; error: string; line: string }[];
}

/** One session in a list. */
export interface SessionSummary {
  session_id: string;
  first_ms: number | null;
  last_ms: number | null;
  harness: string | null;
  model: string | null;
  environment: string | null;
  originator: string | null;
  workdir: string | null;
  first_command: string | null;
  first_prompt: string | null;
  events: number;
  prompts: number;
  commands: number;
  files: number;
  mcp_calls: number;
  failures: number;
  approvals: number;
  denials: number;
  input_tokens: number;
  output_tokens: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The overview of `range`. Roll-ups are hourly, so the range is widened to whole hours.
 *
 * @example
 * ```ts
 * import { queryOverview } from "./query_overview.ts";
 * declare const db: import("node:sqlite").DatabaseSync;
 * queryOverview(db, { fromMs: Date.now() - 86_400_000 }).totals.commands;
 * ```
 */
export function queryOverview(db: DatabaseSync, range: TimeRange): Overview {
  const from = range.fromMs === undefined ? -8.64e15 : Math.floor(range.fromMs / HOUR_MS) * HOUR_MS;
  const to = range.toMs ?? 8.64e15;
  const byKind = db.prepare(
    "SELECT kind, sum(events) AS events, sum(failures) AS failures, sum(approvals) AS approvals, " +
      "sum(denials) AS denials, sum(input_tokens) AS input, sum(output_tokens) AS output " +
      "FROM rollup WHERE hour_ms >= ? AND hour_ms <= ? GROUP BY kind",
  ).all(from, to) as unknown as {
    kind: string;
    events: number;
    failures: number;
    approvals: number;
    denials: number;
    input: number;
    output: number;
  }[];
  const kindCount = (kind: string) => byKind.find((row) => row.kind === kind)?.events ?? 0;
  const total = (field: "events" | "failures" | "input" | "output") =>
    byKind.reduce((n, row) => n + row[field], 0);
  const approvals = byKind.find((row) => row.kind === "approval");
  const sessions = db.prepare(
    "SELECT count(*) AS n FROM sessions WHERE last_ms >= ? AND first_ms <= ?",
  ).get(from, to) as { n: number };
  const unreadable = db.prepare("SELECT count(*) AS n FROM events WHERE error IS NOT NULL")
    .get() as { n: number };

  // Events over time: hourly buckets for up to two weeks, daily beyond.
  const span = db.prepare(
    "SELECT min(hour_ms) AS first, max(hour_ms) AS last FROM rollup WHERE hour_ms >= ? AND hour_ms <= ?",
  ).get(from, to) as { first: number | null; last: number | null };
  const bucket = span.first !== null && span.last! - span.first > 14 * DAY_MS ? DAY_MS : HOUR_MS;
  const series = db.prepare(
    "SELECT (hour_ms / ?1) * ?1 AS bucket, sum(events) AS events, " +
      "sum(CASE WHEN kind = 'command_run' THEN events ELSE 0 END) AS commands, " +
      "sum(failures) AS failures FROM rollup WHERE hour_ms >= ?2 AND hour_ms <= ?3 " +
      "GROUP BY bucket ORDER BY bucket",
  ).all(bucket, from, to) as unknown as {
    bucket: number;
    events: number;
    commands: number;
    failures: number;
  }[];
  const timeline = filledSeries(series, bucket);

  const tokenRows = db.prepare(
    "SELECT (hour_ms / ?1) * ?1 AS day, model, sum(input_tokens) AS input, " +
      "sum(output_tokens) AS output, sum(events) AS responses FROM rollup " +
      "WHERE kind = 'token_usage' AND hour_ms >= ?2 AND hour_ms <= ?3 GROUP BY day, model " +
      "ORDER BY day",
  ).all(DAY_MS, from, to) as unknown as {
    day: number;
    model: string;
    input: number;
    output: number;
    responses: number;
  }[];
  const models = [...new Set(tokenRows.map((row) => row.model || "(unknown)"))].sort();
  const dayList = [...new Set(tokenRows.map((row) => row.day))].sort((a, b) => a - b);
  const input = models.map(() => dayList.map(() => 0));
  const output = models.map(() => dayList.map(() => 0));
  const byModel = new Map<
    string,
    { model: string; input: number; output: number; responses: number }
  >();
  for (const row of tokenRows) {
    const model = row.model || "(unknown)";
    const m = models.indexOf(model);
    const d = dayList.indexOf(row.day);
    input[m][d] += row.input;
    output[m][d] += row.output;
    const entry = byModel.get(model) ?? { model, input: 0, output: 0, responses: 0 };
    entry.input += row.input;
    entry.output += row.output;
    entry.responses += row.responses;
    byModel.set(model, entry);
  }

  const latestSessions = db.prepare(
    "SELECT * FROM sessions WHERE last_ms >= ? AND first_ms <= ? ORDER BY last_ms DESC LIMIT 10",
  ).all(from, to) as unknown as SessionSummary[];
  const errors = db.prepare(
    "SELECT seq, error, summary AS line FROM events WHERE error IS NOT NULL ORDER BY seq DESC LIMIT 20",
  ).all() as unknown as Overview["errors"];

  return {
    totals: {
      events: total("events"),
      sessions: sessions.n,
      prompts: kindCount("prompt"),
      commands: kindCount("command_run"),
      filesChanged: kindCount("file_change"),
      mcpCalls: kindCount("mcp_tool_call"),
      approvals: approvals?.approvals ?? 0,
      denials: approvals?.denials ?? 0,
      failures: total("failures"),
      inputTokens: total("input"),
      outputTokens: total("output"),
      unreadableLines: unreadable.n,
    },
    timeline,
    tokensByDay: { days: dayList.map((day) => day / 1000), models, input, output },
    tokensByModel: [...byModel.values()].sort((a, b) => b.input + b.output - a.input - a.output),
    latestSessions,
    errors,
  };
}

/** Buckets with no events are filled with zeros, so the chart's gaps are real gaps. */
function filledSeries(
  rows: { bucket: number; events: number; commands: number; failures: number }[],
  bucket: number,
): Overview["timeline"] {
  const out: Overview["timeline"] = {
    bucketSeconds: bucket / 1000,
    times: [],
    events: [],
    commands: [],
    failures: [],
  };
  if (!rows.length) return out;
  const byBucket = new Map(rows.map((row) => [row.bucket, row]));
  const last = rows.at(-1)!.bucket;
  // At most a few thousand points: a year of hours is charted by day.
  for (let at = rows[0].bucket; at <= last; at += bucket) {
    const row = byBucket.get(at);
    out.times.push(at / 1000);
    out.events.push(row?.events ?? 0);
    out.commands.push(row?.commands ?? 0);
    out.failures.push(row?.failures ?? 0);
  }
  return out;
}
