/**
 * Brings the dashboard's index up to date with the runtime log and its archives: reads only what
 * was written since the last pass (each file is known by its inode and how far it was read, so
 * a rotation renames nothing in the index), drops the rows of archives that were deleted, and
 * says when the index no longer matches the files (a file shorter than what was read, or replaced
 * under the same inode) so the caller rebuilds it.
 *
 * Lines are committed in batches together with the file's new offset, so a dashboard stopped
 * mid-way resumes exactly where the last batch ended.
 *
 * @module
 */

import type { SQLInputValue } from "node:sqlite";
import { bytesToHex } from "../../bytes/bytes_to_hex.ts";
import {
  archivePath,
  listRuntimeLogArchives,
} from "../../runtime_log/list_runtime_log_archives.ts";
import type { DashboardIndex } from "./open_dashboard_index.ts";
import { type EventRow, projectEventRow } from "./project_event_row.ts";
import { type LogLine, readLogLinesFrom } from "./read_log_lines_from.ts";

/** What one {@link refreshDashboardIndex} pass did. */
export interface RefreshResult {
  /** Lines added (events and error rows). */
  added: number;
  /** Rows dropped with archives that no longer exist. */
  removed: number;
  /** Set when the index no longer matches the files: rebuild it, for this reason. */
  rebuild?: string;
}

/** Options of {@link refreshDashboardIndex}. */
export interface RefreshOptions {
  /** Lines per transaction (default 5,000). */
  batchLines?: number;
  /** Called after each committed batch, with the lines added so far in this pass. */
  onBatch?: (added: number) => void | Promise<void>;
}

/** Flag bits of `events.flags`. */
export const FLAG_FAILED = 1;
export const FLAG_APPROVED = 2;
export const FLAG_DENIED = 4;

const HOUR_MS = 3_600_000;
const HEAD_BYTES = 64;

interface FileRecord {
  ino: number;
  path: string;
  offset: number;
  lines: number;
  head: string;
}

/**
 * Reads what is new in the log at `index.logPath` into the index.
 *
 * @example
 * ```ts
 * import { openDashboardIndex } from "./open_dashboard_index.ts";
 * import { refreshDashboardIndex } from "./refresh_dashboard_index.ts";
 *
 * const index = await openDashboardIndex("/tmp/runtime.jsonl");
 * const result = await refreshDashboardIndex(index);
 * // { added: 42, removed: 0 }
 * ```
 */
export async function refreshDashboardIndex(
  index: DashboardIndex,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const { db } = index;
  const batchLines = options.batchLines ?? 5000;
  const result: RefreshResult = { added: 0, removed: 0 };
  const paths = [
    ...(await listRuntimeLogArchives(index.logPath)).toReversed().map((n) =>
      archivePath(index.logPath, n)
    ),
    index.logPath,
  ];
  // Open first, then ask the open handle who it is: a rotation between listing and reading
  // cannot make one file's lines count as another's.
  const opened: { path: string; file: Deno.FsFile; ino: number; size: number }[] = [];
  try {
    const seen = new Set<number>();
    for (const path of paths) {
      const file = await openIfPresent(path);
      if (!file) continue;
      const info = await file.stat();
      const ino = info.ino ?? 0;
      if (seen.has(ino) || !info.isFile) {
        file.close();
        continue;
      }
      seen.add(ino);
      opened.push({ path, file, ino, size: info.size });
    }
    const known = new Map(
      (db.prepare("SELECT ino, path, offset, lines, head FROM files")
        .all() as unknown as FileRecord[]).map((row) => [row.ino, row]),
    );
    for (const record of known.values()) {
      if (!seen.has(record.ino)) result.removed += removeFile(index, record.ino);
    }
    for (const { path, file, ino, size } of opened) {
      let record = known.get(ino);
      if (record) {
        if (size < record.offset) {
          return { ...result, rebuild: `${path} is shorter than when it was indexed` };
        }
        if (record.head && await headOf(file, record.head.length / 2) !== record.head) {
          return { ...result, rebuild: `${path} was replaced since it was indexed` };
        }
        if (record.path !== path) {
          db.prepare("UPDATE files SET path = ? WHERE ino = ?").run(path, ino);
        }
      } else {
        record = { ino, path, offset: 0, lines: 0, head: "" };
        db.prepare("INSERT INTO files(ino, path, offset, lines, head) VALUES (?, ?, 0, 0, '')")
          .run(ino, path);
      }
      if (size <= record.offset) continue;
      if (record.head.length < HEAD_BYTES * 2) {
        record.head = await headOf(file, Math.min(HEAD_BYTES, size));
        db.prepare("UPDATE files SET head = ? WHERE ino = ?").run(record.head, ino);
      }
      let batch: LogLine[] = [];
      for await (const line of readLogLinesFrom(file, record.offset)) {
        batch.push(line);
        if (batch.length >= batchLines) {
          result.added += commitBatch(index, record, batch);
          batch = [];
          await options.onBatch?.(result.added);
        }
      }
      if (batch.length) {
        result.added += commitBatch(index, record, batch);
        await options.onBatch?.(result.added);
      }
    }
    return result;
  } finally {
    for (const { file } of opened) file.close();
  }
}

/** One batch of lines in one transaction, with the file's new offset. */
function commitBatch(index: DashboardIndex, record: FileRecord, lines: LogLine[]): number {
  const { db } = index;
  const insertEvent = db.prepare(
    "INSERT INTO events(ino, offset, length, line, time_ms, kind, session_id, model, summary, " +
      "flags, input_tokens, output_tokens, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
  );
  const insertText = db.prepare("INSERT INTO events_fts(rowid, text) VALUES (?, ?)");
  const deltas = new Deltas(1);
  db.exec("BEGIN");
  try {
    let lineNumber = record.lines;
    for (const line of lines) {
      lineNumber++;
      const where = `${record.path}:${lineNumber}`;
      const parsed = parseLine(line, where);
      if ("error" in parsed) {
        insertEvent.run(
          record.ino,
          line.offset,
          line.length,
          lineNumber,
          null,
          "error",
          null,
          null,
          line.text.slice(0, 240),
          0,
          0,
          0,
          parsed.error,
        );
        continue;
      }
      const row = projectEventRow(parsed.event);
      const flags = flagsOf(row);
      const { lastInsertRowid } = insertEvent.run(
        record.ino,
        line.offset,
        line.length,
        lineNumber,
        row.timeMs,
        row.kind,
        row.sessionId,
        row.model,
        row.summary,
        flags,
        row.inputTokens,
        row.outputTokens,
        null,
      );
      insertText.run(lastInsertRowid, row.searchText);
      deltas.add(row, flags);
    }
    deltas.apply(index);
    const last = lines.at(-1)!;
    record.offset = last.offset + last.length + 1;
    record.lines = lineNumber;
    db.prepare("UPDATE files SET offset = ?, lines = ? WHERE ino = ?")
      .run(record.offset, record.lines, record.ino);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
  return lines.length;
}

function parseLine(
  line: LogLine,
  where: string,
): { event: Record<string, unknown> } | { error: string } {
  if (line.overlong) {
    return { error: `${where}: the line is ${line.length} bytes, too long to read; skipped` };
  }
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return { error: `${where}: not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { error: `${where}: not a JSON object` };
  }
  const event = value as Record<string, unknown>;
  if (typeof event.kind !== "string") return { error: `${where}: no "kind": not a Beacon event` };
  if (typeof event.time !== "string" || !Number.isFinite(Date.parse(event.time))) {
    return { error: `${where}: no readable "time": not a Beacon event` };
  }
  return { event };
}

function flagsOf(row: EventRow): number {
  return (row.failed ? FLAG_FAILED : 0) | (row.approved ? FLAG_APPROVED : 0) |
    (row.denied ? FLAG_DENIED : 0);
}

/** Drops every row of a file that no longer exists, taking them out of the roll-ups too. */
function removeFile(index: DashboardIndex, ino: number): number {
  const { db } = index;
  db.exec("BEGIN");
  try {
    const rows = db.prepare(
      "SELECT time_ms, kind, session_id, model, flags, input_tokens, output_tokens FROM events " +
        "WHERE ino = ? AND error IS NULL",
    ).all(ino) as unknown as StoredRow[];
    const deltas = new Deltas(-1);
    for (const row of rows) deltas.addStored(row);
    db.prepare("DELETE FROM events_fts WHERE rowid IN (SELECT seq FROM events WHERE ino = ?)")
      .run(ino);
    const { changes } = db.prepare("DELETE FROM events WHERE ino = ?").run(ino);
    deltas.apply(index);
    // First and last times cannot be subtracted: take them again from what is left.
    for (const session of deltas.sessions.keys()) {
      db.prepare(
        "UPDATE sessions SET first_ms = (SELECT min(time_ms) FROM events WHERE session_id = ?1), " +
          "last_ms = (SELECT max(time_ms) FROM events WHERE session_id = ?1) WHERE session_id = ?1",
      ).run(session);
    }
    db.exec("DELETE FROM sessions WHERE events <= 0");
    db.exec("DELETE FROM rollup WHERE events <= 0");
    db.prepare("DELETE FROM files WHERE ino = ?").run(ino);
    db.exec("COMMIT");
    return Number(changes);
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

interface StoredRow {
  time_ms: number;
  kind: string;
  session_id: string | null;
  model: string | null;
  flags: number;
  input_tokens: number;
  output_tokens: number;
}

interface RollupDelta {
  hour: number;
  kind: string;
  model: string;
  counts: number[]; // events, failures, approvals, denials, input, output
}

interface SessionDelta {
  first: number | null;
  last: number | null;
  text: (string | null)[]; // harness, model, environment, originator, workdir, command, prompt
  counts: number[]; // events, prompts, commands, files, mcp, failures, approvals, denials, in, out
}

/** Roll-up and session changes of a batch, summed in memory and written once. */
class Deltas {
  rollups = new Map<string, RollupDelta>();
  sessions = new Map<string, SessionDelta>();
  constructor(private sign: 1 | -1) {}

  add(row: EventRow, flags: number): void {
    this.addCounts(
      row.timeMs!,
      row.kind,
      row.model,
      row.sessionId,
      flags,
      row.inputTokens,
      row.outputTokens,
      [
        row.harness,
        row.model,
        row.environment,
        row.originator,
        row.workdir,
        row.command,
        row.prompt,
      ],
    );
  }

  addStored(row: StoredRow): void {
    this.addCounts(
      row.time_ms,
      row.kind,
      row.model,
      row.session_id,
      row.flags,
      row.input_tokens,
      row.output_tokens,
      [null, null, null, null, null, null, null],
    );
  }

  private addCounts(
    time: number,
    kind: string,
    model: string | null,
    session: string | null,
    flags: number,
    input: number,
    output: number,
    text: (string | null)[],
  ): void {
    const s = this.sign;
    const failed = flags & FLAG_FAILED ? s : 0;
    const approved = flags & FLAG_APPROVED ? s : 0;
    const denied = flags & FLAG_DENIED ? s : 0;
    const hour = Math.floor(time / HOUR_MS) * HOUR_MS;
    const key = `${hour}\u0000${kind}\u0000${model ?? ""}`;
    let rollup = this.rollups.get(key);
    if (!rollup) {
      rollup = { hour, kind, model: model ?? "", counts: [0, 0, 0, 0, 0, 0] };
      this.rollups.set(key, rollup);
    }
    sum(rollup.counts, [s, failed, approved, denied, s * input, s * output]);
    if (session === null) return;
    let delta = this.sessions.get(session);
    if (!delta) {
      delta = { first: null, last: null, text: [...text], counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
      this.sessions.set(session, delta);
    } else {
      delta.text = delta.text.map((value, i) => value ?? text[i]);
    }
    delta.first = delta.first === null ? time : Math.min(delta.first, time);
    delta.last = delta.last === null ? time : Math.max(delta.last, time);
    sum(delta.counts, [
      s,
      kind === "prompt" ? s : 0,
      kind === "command_run" ? s : 0,
      kind === "file_change" ? s : 0,
      kind === "mcp_tool_call" ? s : 0,
      failed,
      approved,
      denied,
      s * input,
      s * output,
    ]);
  }

  apply(index: DashboardIndex): void {
    const { db } = index;
    const rollup = db.prepare(
      "INSERT INTO rollup(hour_ms, kind, model, events, failures, approvals, denials, " +
        "input_tokens, output_tokens) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET " +
        "events = events + excluded.events, failures = failures + excluded.failures, " +
        "approvals = approvals + excluded.approvals, denials = denials + excluded.denials, " +
        "input_tokens = input_tokens + excluded.input_tokens, " +
        "output_tokens = output_tokens + excluded.output_tokens",
    );
    for (const delta of this.rollups.values()) {
      rollup.run(delta.hour, delta.kind, delta.model, ...delta.counts);
    }
    const session = db.prepare(
      "INSERT INTO sessions(session_id, first_ms, last_ms, harness, model, environment, " +
        "originator, workdir, first_command, first_prompt, events, prompts, commands, files, " +
        "mcp_calls, failures, approvals, denials, input_tokens, output_tokens) " +
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET " +
        "first_ms = min(coalesce(first_ms, excluded.first_ms), coalesce(excluded.first_ms, first_ms)), " +
        "last_ms = max(coalesce(last_ms, excluded.last_ms), coalesce(excluded.last_ms, last_ms)), " +
        "harness = coalesce(harness, excluded.harness), model = coalesce(model, excluded.model), " +
        "environment = coalesce(environment, excluded.environment), " +
        "originator = coalesce(originator, excluded.originator), " +
        "workdir = coalesce(workdir, excluded.workdir), " +
        "first_command = coalesce(first_command, excluded.first_command), " +
        "first_prompt = coalesce(first_prompt, excluded.first_prompt), " +
        "events = events + excluded.events, prompts = prompts + excluded.prompts, " +
        "commands = commands + excluded.commands, files = files + excluded.files, " +
        "mcp_calls = mcp_calls + excluded.mcp_calls, failures = failures + excluded.failures, " +
        "approvals = approvals + excluded.approvals, denials = denials + excluded.denials, " +
        "input_tokens = input_tokens + excluded.input_tokens, " +
        "output_tokens = output_tokens + excluded.output_tokens",
    );
    for (const [id, delta] of this.sessions) {
      const values: SQLInputValue[] = [id, delta.first, delta.last, ...delta.text, ...delta.counts];
      session.run(...values);
    }
  }
}

function sum(into: number[], add: number[]): void {
  for (let i = 0; i < into.length; i++) into[i] += add[i];
}

async function headOf(file: Deno.FsFile, length: number): Promise<string> {
  const buffer = new Uint8Array(length);
  await file.seek(0, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return bytesToHex(buffer.subarray(0, filled));
}

async function openIfPresent(path: string): Promise<Deno.FsFile | undefined> {
  try {
    return await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
