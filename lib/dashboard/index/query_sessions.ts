/**
 * The sessions list: filtered by time range, model, harness, environment and a text that matches
 * the session id, working folder or first command; sorted by a whitelisted column; paged.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { SessionSummary, TimeRange } from "./query_overview.ts";

/** The columns a session list can be sorted by. */
export const SESSION_SORT_COLUMNS = [
  "first_ms",
  "last_ms",
  "model",
  "events",
  "prompts",
  "commands",
  "files",
  "failures",
  "denials",
  "input_tokens",
  "output_tokens",
] as const;

/** One of {@link SESSION_SORT_COLUMNS}. */
export type SessionSortColumn = typeof SESSION_SORT_COLUMNS[number];

/** Filters and order of {@link querySessions}. */
export interface SessionQuery extends TimeRange {
  model?: string;
  harness?: string;
  environment?: string;
  /** Part of the session id, working folder, first command or first prompt. */
  text?: string;
  sort?: SessionSortColumn;
  descending?: boolean;
  limit?: number;
  offset?: number;
}

/** A page of sessions and what the filters can choose from. */
export interface SessionPage {
  total: number;
  sessions: SessionSummary[];
  facets: { models: string[]; harnesses: string[]; environments: string[] };
}

/**
 * A page of sessions.
 *
 * @example
 * ```ts
 * import { querySessions } from "./query_sessions.ts";
 * declare const db: import("node:sqlite").DatabaseSync;
 * querySessions(db, { model: "gpt-5", sort: "failures", descending: true }).sessions;
 * ```
 */
export function querySessions(db: DatabaseSync, query: SessionQuery): SessionPage {
  const where: string[] = [];
  const values: SQLInputValue[] = [];
  if (query.fromMs !== undefined) {
    where.push("last_ms >= ?");
    values.push(query.fromMs);
  }
  if (query.toMs !== undefined) {
    where.push("first_ms <= ?");
    values.push(query.toMs);
  }
  for (const column of ["model", "harness", "environment"] as const) {
    const value = query[column];
    if (value) {
      where.push(`${column} = ?`);
      values.push(value);
    }
  }
  if (query.text) {
    where.push(
      "(instr(session_id, ?1) OR instr(coalesce(workdir, ''), ?1) OR " +
        "instr(coalesce(first_command, ''), ?1) OR instr(coalesce(first_prompt, ''), ?1))"
          .replaceAll("?1", `?${values.length + 1}`),
    );
    values.push(query.text);
  }
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const sort = SESSION_SORT_COLUMNS.includes(query.sort as SessionSortColumn)
    ? query.sort!
    : "last_ms";
  const direction = query.descending === false ? "ASC" : "DESC";
  const limit = Math.min(Math.max(1, query.limit ?? 100), 500);
  const offset = Math.max(0, query.offset ?? 0);
  const total = db.prepare(`SELECT count(*) AS n FROM sessions ${clause}`).get(...values) as {
    n: number;
  };
  const sessions = db.prepare(
    `SELECT * FROM sessions ${clause} ORDER BY ${sort} ${direction}, session_id LIMIT ? OFFSET ?`,
  ).all(...values, limit, offset) as unknown as SessionSummary[];
  const distinct = (column: string) =>
    (db.prepare(
      `SELECT DISTINCT ${column} AS v FROM sessions WHERE ${column} IS NOT NULL ORDER BY v LIMIT 200`,
    ).all() as { v: string }[]).map((row) => row.v);
  return {
    total: total.n,
    sessions,
    facets: {
      models: distinct("model"),
      harnesses: distinct("harness"),
      environments: distinct("environment"),
    },
  };
}
