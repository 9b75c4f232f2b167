/**
 * Full-text search over what the log kept: kinds, tool names, commands, paths, and kept prompt,
 * output and response text, within a time range, newest first.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { TimeRange } from "./query_overview.ts";

/** A search. */
export interface SearchQuery extends TimeRange {
  text: string;
  /** Only events of this kind. */
  kind?: string;
  limit?: number;
}

/** One hit. */
export interface SearchHit {
  seq: number;
  time_ms: number;
  kind: string;
  session_id: string | null;
  model: string | null;
  summary: string;
}

/** Hits, newest first. */
export interface SearchResult {
  hits: SearchHit[];
  /** The FTS5 expression the text became. */
  expression: string;
  /** More hits than the limit exist. */
  more: boolean;
}

/**
 * The FTS5 expression for what a person typed: each word becomes a quoted phrase (so `-`, `:`,
 * `*` and quotes are text, never query syntax), all of them required, the last one a prefix.
 * Pure.
 *
 * @example
 * ```ts
 * import { ftsExpression } from "./query_search.ts";
 * ftsExpression('git "log'); // '"git" AND """log"*'
 * ```
 */
export function ftsExpression(text: string): string {
  const words = text.split(/\s+/).filter(Boolean).slice(0, 16);
  return words.map((word, i) =>
    `"${word.replaceAll('"', '""')}"${i === words.length - 1 ? "*" : ""}`
  ).join(" AND ");
}

/**
 * The newest events matching `query.text` in the range.
 *
 * @example
 * ```ts
 * import { querySearch } from "./query_search.ts";
 * declare const db: import("node:sqlite").DatabaseSync;
 * querySearch(db, { text: "git status" }).hits[0]?.summary;
 * ```
 */
export function querySearch(db: DatabaseSync, query: SearchQuery): SearchResult {
  const expression = ftsExpression(query.text);
  if (!expression) return { hits: [], expression, more: false };
  const limit = Math.min(Math.max(1, query.limit ?? 100), 500);
  const where = ["events_fts MATCH ?"];
  const values: SQLInputValue[] = [expression];
  if (query.fromMs !== undefined) {
    where.push("e.time_ms >= ?");
    values.push(query.fromMs);
  }
  if (query.toMs !== undefined) {
    where.push("e.time_ms <= ?");
    values.push(query.toMs);
  }
  if (query.kind) {
    where.push("e.kind = ?");
    values.push(query.kind);
  }
  // FTS5 walks its rowids (the order lines were read, oldest file first) backwards cheaply, so
  // "newest first" stops after `limit` hits instead of sorting every match.
  const hits = db.prepare(
    "SELECT e.seq, e.time_ms, e.kind, e.session_id, e.model, e.summary FROM events_fts " +
      `JOIN events e ON e.seq = events_fts.rowid WHERE ${where.join(" AND ")} ` +
      "ORDER BY events_fts.rowid DESC LIMIT ?",
  ).all(...values, limit + 1) as unknown as SearchHit[];
  return { hits: hits.slice(0, limit), expression, more: hits.length > limit };
}
