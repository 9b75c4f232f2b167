/**
 * One session's events in order, each read back from the runtime log where the index says it is:
 * the page shows exactly what the log holds after the policy's content rules.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { SessionSummary } from "./query_overview.ts";

/** One event of a timeline. */
export interface TimelineEntry {
  seq: number;
  /** The event as the log holds it; absent when the line could not be read back. */
  event?: Record<string, unknown>;
  /** Why the line could not be read back. */
  error?: string;
}

/** A session and its events. */
export interface SessionTimeline {
  session: SessionSummary;
  entries: TimelineEntry[];
  /** More events than {@link MAX_TIMELINE_EVENTS}: only the first ones are given. */
  truncated: boolean;
}

/** The most events one timeline page holds. */
export const MAX_TIMELINE_EVENTS = 5000;

/**
 * The timeline of `sessionId`, or undefined when the index has no such session.
 *
 * @example
 * ```ts
 * import { querySessionTimeline } from "./query_session_timeline.ts";
 * declare const db: import("node:sqlite").DatabaseSync;
 * const timeline = await querySessionTimeline(db, "01a21283-e0e9-7d02-8429-9284e327769f");
 * timeline?.entries.map((entry) => entry.event?.kind);
 * ```
 */
export async function querySessionTimeline(
  db: DatabaseSync,
  sessionId: string,
): Promise<SessionTimeline | undefined> {
  const session = db.prepare("SELECT * FROM sessions WHERE session_id = ?").get(sessionId) as
    | SessionSummary
    | undefined;
  if (!session) return undefined;
  const rows = db.prepare(
    "SELECT e.seq, e.offset, e.length, f.path FROM events e JOIN files f ON f.ino = e.ino " +
      "WHERE e.session_id = ? ORDER BY e.time_ms, e.seq LIMIT ?",
  ).all(sessionId, MAX_TIMELINE_EVENTS + 1) as unknown as {
    seq: number;
    offset: number;
    length: number;
    path: string;
  }[];
  const truncated = rows.length > MAX_TIMELINE_EVENTS;
  const entries = await readEvents(rows.slice(0, MAX_TIMELINE_EVENTS));
  return { session, entries, truncated };
}

async function readEvents(
  rows: { seq: number; offset: number; length: number; path: string }[],
): Promise<TimelineEntry[]> {
  const files = new Map<string, Deno.FsFile | null>();
  const decoder = new TextDecoder();
  try {
    const entries: TimelineEntry[] = [];
    for (const row of rows) {
      if (!files.has(row.path)) {
        files.set(row.path, await Deno.open(row.path).catch(() => null));
      }
      const file = files.get(row.path);
      if (!file) {
        entries.push({ seq: row.seq, error: `${row.path} can no longer be read` });
        continue;
      }
      const bytes = new Uint8Array(row.length);
      await file.seek(row.offset, Deno.SeekMode.Start);
      let filled = 0;
      while (filled < row.length) {
        const read = await file.read(bytes.subarray(filled));
        if (read === null) break;
        filled += read;
      }
      try {
        entries.push({ seq: row.seq, event: JSON.parse(decoder.decode(bytes)) });
      } catch {
        entries.push({
          seq: row.seq,
          error: `${row.path} at byte ${row.offset} changed since it was indexed`,
        });
      }
    }
    return entries;
  } finally {
    for (const file of files.values()) file?.close();
  }
}
