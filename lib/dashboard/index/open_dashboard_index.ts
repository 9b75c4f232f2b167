/**
 * The dashboard's index: an SQLite database (`node:sqlite`, built into Deno) beside the runtime
 * log, holding one row per line, an FTS5 full-text index, hourly roll-ups and per-session
 * aggregates. The JSONL stays the source of truth: the index keeps where each line is (file
 * identity and byte offset) and reads the line back for a session's timeline, so it never holds a
 * second copy of the content.
 *
 * A missing, stale (other schema, other log) or corrupt index is deleted and built again.
 *
 * node:sqlite is loaded when an index is opened, not imported at the top: a static node: import
 * is hoisted into the bundle and would start Deno's Node compatibility layer in every process.
 *
 * @module
 */

import { hashContent } from "../../content/hash_content.ts";
import type { DatabaseSync } from "node:sqlite";
import { dirname, join } from "../../host/file_path.ts";

/** Bump when the schema or what a row holds changes: older indexes are rebuilt. */
export const DASHBOARD_INDEX_SCHEMA = "2";

const SCHEMA_SQL = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE files(
  ino INTEGER PRIMARY KEY, path TEXT NOT NULL, offset INTEGER NOT NULL,
  lines INTEGER NOT NULL, head TEXT NOT NULL
) STRICT;
CREATE TABLE events(
  seq INTEGER PRIMARY KEY, ino INTEGER NOT NULL, offset INTEGER NOT NULL,
  length INTEGER NOT NULL, line INTEGER NOT NULL, time_ms INTEGER, kind TEXT NOT NULL,
  session_id TEXT, model TEXT, summary TEXT NOT NULL, flags INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, error TEXT
) STRICT;
CREATE INDEX events_by_file ON events(ino);
CREATE INDEX events_by_session ON events(session_id, time_ms) WHERE session_id IS NOT NULL;
CREATE INDEX events_by_time ON events(time_ms);
CREATE INDEX events_errors ON events(seq) WHERE error IS NOT NULL;
CREATE VIRTUAL TABLE events_fts USING fts5(text, content='', contentless_delete=1);
CREATE TABLE rollup(
  hour_ms INTEGER NOT NULL, kind TEXT NOT NULL, model TEXT NOT NULL,
  events INTEGER NOT NULL, failures INTEGER NOT NULL, approvals INTEGER NOT NULL,
  denials INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
  PRIMARY KEY(hour_ms, kind, model)
) STRICT, WITHOUT ROWID;
CREATE TABLE sessions(
  session_id TEXT PRIMARY KEY, first_ms INTEGER, last_ms INTEGER, harness TEXT, model TEXT,
  environment TEXT, originator TEXT, workdir TEXT, first_command TEXT, first_prompt TEXT,
  events INTEGER NOT NULL, prompts INTEGER NOT NULL, commands INTEGER NOT NULL,
  files INTEGER NOT NULL, mcp_calls INTEGER NOT NULL, failures INTEGER NOT NULL,
  approvals INTEGER NOT NULL, denials INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_first ON sessions(first_ms);
CREATE INDEX sessions_by_last ON sessions(last_ms);
-- The sessions view's filter choices (DISTINCT) read these instead of every session.
CREATE INDEX sessions_by_model ON sessions(model);
CREATE INDEX sessions_by_harness ON sessions(harness);
CREATE INDEX sessions_by_environment ON sessions(environment);
`;

/** An open index. */
export interface DashboardIndex {
  db: DatabaseSync;
  /** The database file. */
  path: string;
  /** The runtime log it indexes. */
  logPath: string;
  /** Why it was (re)built on opening, for people; absent when an existing index was resumed. */
  rebuiltBecause?: string;
  close(): void;
}

/** Options of {@link openDashboardIndex}. */
export interface OpenDashboardIndexOptions {
  /** Where to put the index; default {@link defaultIndexPath}. */
  indexPath?: string;
  /** Fallback folder when the log's folder is not writable (`~/.cache/beacon/dashboard`). */
  cacheFolder?: string;
}

/**
 * The index file for `logPath`: beside the log (`runtime.jsonl.index.sqlite`) when its folder is
 * writable, else in `cacheFolder` under a name derived from the log's path (a system log read
 * by a user).
 */
export function defaultIndexPath(logPath: string, cacheFolder?: string): string {
  const beside = `${logPath}.index.sqlite`;
  if (!cacheFolder || writable(dirname(logPath))) return beside;
  return join(cacheFolder, `runtime-${hashContent(logPath).slice(0, 16)}.index.sqlite`);
}

function writable(folder: string): boolean {
  try {
    const probe = join(folder, `.beacon-dashboard-probe-${crypto.randomUUID()}`);
    Deno.writeFileSync(probe, new Uint8Array(), { mode: 0o600 });
    Deno.removeSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens (or creates) the index of `logPath`. An index of another schema or another log, or one
 * SQLite cannot read, is deleted and created anew; {@link DashboardIndex.rebuiltBecause} says why.
 *
 * @example
 * ```ts
 * import { openDashboardIndex } from "./open_dashboard_index.ts";
 * import { refreshDashboardIndex } from "./refresh_dashboard_index.ts";
 *
 * const index = await openDashboardIndex("/home/ada/.beacon/endpoint/logs/runtime.jsonl");
 * await refreshDashboardIndex(index);
 * index.close();
 * ```
 */
export async function openDashboardIndex(
  logPath: string,
  options: OpenDashboardIndexOptions = {},
): Promise<DashboardIndex> {
  const { DatabaseSync } = await import("node:sqlite");
  const path = options.indexPath ?? defaultIndexPath(logPath, options.cacheFolder);
  Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let reason: string | undefined;
  if (exists(path)) {
    try {
      const db = connect(DatabaseSync, path);
      const problem = checkExisting(db, logPath);
      if (!problem) return wrap(db, path, logPath);
      db.close();
      reason = problem;
    } catch (error) {
      reason = `the index could not be read (${messageOf(error)})`;
    }
    removeIndexFiles(path);
  } else {
    reason = "there was no index yet";
  }
  return createIndex(DatabaseSync, path, logPath, reason);
}

/** Deletes the index and creates an empty one for the same log: the rebuild path. */
export async function rebuildDashboardIndex(
  index: DashboardIndex,
  reason: string,
): Promise<DashboardIndex> {
  const { DatabaseSync } = await import("node:sqlite");
  try {
    index.close();
  } catch {
    // A corrupt database may fail to close cleanly; it is deleted next anyway.
  }
  removeIndexFiles(index.path);
  return createIndex(DatabaseSync, index.path, index.logPath, reason);
}

/** node:sqlite's database class, passed in because the module is loaded on demand. */
type Database = typeof DatabaseSync;

function createIndex(
  Database: Database,
  path: string,
  logPath: string,
  reason: string,
): DashboardIndex {
  // Created empty with 0600 first: the index holds what the log holds.
  Deno.writeFileSync(path, new Uint8Array(), { mode: 0o600 });
  const db = connect(Database, path);
  db.exec("BEGIN");
  db.exec(SCHEMA_SQL);
  const meta = db.prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
  meta.run("schema", DASHBOARD_INDEX_SCHEMA);
  meta.run("log", logPath);
  db.exec("COMMIT");
  return { ...wrap(db, path, logPath), rebuiltBecause: reason };
}

function connect(Database: Database, path: string): DatabaseSync {
  const db = new Database(path);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA cache_size = -16000");
  return db;
}

function checkExisting(db: DatabaseSync, logPath: string): string | undefined {
  const rows = db.prepare("SELECT key, value FROM meta").all() as { key: string; value: string }[];
  const meta = new Map(rows.map((row) => [row.key, row.value]));
  if (meta.get("schema") !== DASHBOARD_INDEX_SCHEMA) {
    return `the index was built by another version (schema ${meta.get("schema") ?? "none"})`;
  }
  if (meta.get("log") !== logPath) {
    return `the index was built for another log (${meta.get("log")})`;
  }
  // Touch every table the dashboard reads, so a damaged file fails here rather than later.
  db.prepare("SELECT count(*) FROM files").get();
  db.prepare("SELECT seq FROM events ORDER BY seq DESC LIMIT 1").get();
  return undefined;
}

function wrap(db: DatabaseSync, path: string, logPath: string): DashboardIndex {
  return { db, path, logPath, close: () => db.isOpen && db.close() };
}

function removeIndexFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      Deno.removeSync(file);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The message of an error, for people. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
