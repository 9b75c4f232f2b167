/**
 * The dashboard's index kept up to date: one refresh at a time, a generation number that changes
 * whenever what the pages show changes (the page polls it to update itself), and a rebuild when
 * the index turns out stale or corrupt, without stopping the server.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import {
  type DashboardIndex,
  messageOf,
  openDashboardIndex,
  type OpenDashboardIndexOptions,
  rebuildDashboardIndex,
} from "./index/open_dashboard_index.ts";
import { refreshDashboardIndex } from "./index/refresh_dashboard_index.ts";

/** What the page's status poll returns about the index. */
export interface LiveIndexStatus {
  /** Changes whenever rows were added or removed. */
  generation: number;
  /** A refresh is reading the log right now. */
  indexing: boolean;
  /** Lines read into the index so far (events and unreadable lines). */
  rows: number;
  indexPath: string;
  /** Why the index was last built from scratch, when it was. */
  rebuiltBecause?: string;
  /** The last refresh's failure, for people; cleared by a refresh that works. */
  error?: string;
}

/** A live index; see {@link createLiveDashboardIndex}. */
export interface LiveDashboardIndex {
  readonly db: DatabaseSync;
  /** Reads what is new; concurrent calls share one pass. */
  refresh(): Promise<void>;
  /** Resolves when no refresh is running. */
  settled(): Promise<void>;
  status(): LiveIndexStatus;
  close(): void;
}

/**
 * Opens the index of `logPath` (building it when missing, stale or corrupt).
 *
 * @example
 * ```ts
 * import { createLiveDashboardIndex } from "./live_dashboard_index.ts";
 * const live = await createLiveDashboardIndex("/tmp/runtime.jsonl");
 * await live.refresh();
 * live.status().generation;
 * ```
 */
export async function createLiveDashboardIndex(
  logPath: string,
  options: OpenDashboardIndexOptions = {},
): Promise<LiveDashboardIndex> {
  let index: DashboardIndex = await openDashboardIndex(logPath, options);
  let generation = 1;
  let rows = countRows(index);
  let running: Promise<void> | undefined;
  let error: string | undefined;
  let rebuiltBecause = index.rebuiltBecause;

  const rebuild = async (reason: string) => {
    index = await rebuildDashboardIndex(index, reason);
    rebuiltBecause = reason;
    rows = 0;
    generation++;
  };

  const pass = async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const result = await refreshDashboardIndex(index, {
          onBatch: async () => {
            generation++;
            rows = countRows(index);
            // Let the server answer requests between batches of a long first indexing.
            await new Promise((resolve) => setTimeout(resolve, 0));
          },
        });
        if (result.removed) generation++;
        rows = countRows(index);
        if (!result.rebuild) {
          error = undefined;
          return;
        }
        await rebuild(result.rebuild);
      } catch (caught) {
        if (!isDatabaseError(caught)) {
          error = `Cannot read the runtime log ${logPath}: ${messageOf(caught)}`;
          return;
        }
        await rebuild(`the index could not be read (${messageOf(caught)})`);
      }
    }
  };

  return {
    get db() {
      return index.db;
    },
    refresh() {
      running ??= pass().finally(() => running = undefined);
      return running;
    },
    settled: () => running ?? Promise.resolve(),
    status: () => ({
      generation,
      indexing: running !== undefined,
      rows,
      indexPath: index.path,
      ...(rebuiltBecause ? { rebuiltBecause } : {}),
      ...(error ? { error } : {}),
    }),
    close: () => index.close(),
  };
}

function countRows(index: DashboardIndex): number {
  const row = index.db.prepare("SELECT max(seq) AS n FROM events").get() as { n: number | null };
  return row.n ?? 0;
}

function isDatabaseError(error: unknown): boolean {
  return typeof error === "object" && error !== null &&
    (error as { code?: string }).code === "ERR_SQLITE_ERROR";
}
