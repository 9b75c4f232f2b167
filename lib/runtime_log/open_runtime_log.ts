/**
 * The durable, rotating JSONL runtime log the collector appends normalised events to: one
 * writer per file that group-commits concurrent appends and acknowledges only synced lines.
 *
 * @module
 */

import { joinOwnedBytes } from "../bytes/join_owned_bytes.ts";
import { listRuntimeLogArchives } from "./list_runtime_log_archives.ts";
import {
  type AppendableLogFile,
  type LogFileMark,
  openLogFileForAppend,
} from "./open_log_file_for_append.ts";
import type { TornTailRepair } from "./repair_torn_tail.ts";
import { rotateRuntimeLog, type RotationRetention } from "./rotate_runtime_log.ts";
import { encodeRuntimeLogEntries, type RuntimeLogEntry } from "./encode_runtime_log_entries.ts";
import { openRealFile, type OpenRuntimeLogFile, writeAll } from "./runtime_log_file.ts";
import {
  type RuntimeLogHealth,
  RuntimeLogHealthTracker,
  type RuntimeLogRecovery,
} from "./runtime_log_health_tracker.ts";
import {
  type RuntimeLogOperation,
  RuntimeLogUnavailableError,
  toRuntimeLogUnavailableError,
} from "./runtime_log_unavailable_error.ts";

/** 10 MiB: the rotation size of the upstream agent, kept so existing log readers see the same. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Five numbered archives, as upstream. */
export const DEFAULT_ARCHIVES = 5;

/**
 * File and folder modes per endpoint mode. A user install keeps the log to the user; a system
 * install lets the file's group (give it with `gid`, e.g. an admin group) read it, and nobody
 * else. Spread one into {@link OpenRuntimeLogOptions}.
 */
export const RUNTIME_LOG_MODES = {
  user: { fileMode: 0o600, dirMode: 0o700 },
  system: { fileMode: 0o640, dirMode: 0o750 },
} as const;

/** Options of {@link openRuntimeLog}. */
export interface OpenRuntimeLogOptions {
  /** The log file, e.g. `~/.beacon/endpoint/logs/runtime.jsonl`. */
  path: string;
  /**
   * Rotate before an append would push the file over this many bytes (default 10 MiB). One
   * append is never split across files, so only a single append larger than this makes a file
   * larger. `Infinity` never rotates.
   */
  maxBytes?: number;
  /** Numbered archives kept, 0..999 (default 5); 0 discards the file's content on rotation. */
  archives?: number;
  /**
   * Mode of the log file (default 0o600; see {@link RUNTIME_LOG_MODES}). Applied exactly (not
   * through the umask) when the file is created; an existing regular file that grants more than
   * this is tightened to it; one that grants less is left alone (somebody chose that).
   */
  fileMode?: number;
  /**
   * Mode of each folder the log has to create (default 0o700). Folders that already exist are
   * not loosened or tightened, but one that others can write to is refused (anyone could plant
   * a link there); see `createLogFolder`.
   */
  dirMode?: number;
  /**
   * Group id to give the folders and files the log creates (system mode: an admin group); also
   * given to the collector's own log folder left at exactly `dirMode` with the collector's group.
   */
  gid?: number;
  /**
   * Fault-injection seam: opens the log file instead of `Deno.open`. For tests only; see
   * `runtime_log_file.ts`.
   */
  openFile?: OpenRuntimeLogFile;
  /** Clock for `stats().lastWriteTime` and incident times; tests pin it. */
  now?: () => Date;
  /** Keeps archives a reader still needs (see `rotateRuntimeLog`). */
  retention?: RotationRetention;
}

/** Counters of a runtime log since it was opened; a snapshot. */
export interface RuntimeLogStats {
  /** The log file. */
  path: string;
  /** Size of the current file as last seen by the writer. */
  bytes: number;
  /** Appends that resolved since open. */
  appends: number;
  /** Lines made durable since open. */
  linesWritten: number;
  /** Write+sync rounds since open; appends per batch is group commit at work. */
  batches: number;
  /** When the last batch became durable, or `null`. */
  lastWriteTime: Date | null;
  /** Numbered archives that exist now. */
  archives: number;
  /** Rotations since open. */
  rotations: number;
  /** Bytes cut by torn-tail repairs since open (at open and at every re-open). */
  repairedBytes: number;
}

/** An open runtime log. One writer per file: do not open the same path twice. */
export interface RuntimeLog {
  /** The log file. */
  readonly path: string;
  /**
   * What the torn-tail repair at open did: `repairedBytes` 0 means the file was intact;
   * otherwise the cut fragment was appended to `tornPath` (or could not be, if `null`).
   */
  readonly repair: TornTailRepair;
  /**
   * Appends each entry as one line. Resolves only once the bytes are written and
   * fdatasync'ed, so resolving is the moment to acknowledge the sender. Concurrent calls are
   * group-committed: everything that arrives while a batch is being written and synced goes out
   * together in the next write and sync. The lines of one call stay together, in order, in one
   * file. Rejects with {@link RuntimeLogUnavailableError} (`retryable`) if the disk refuses; then
   * none of its lines is in the log. Rejects with `TypeError` for a string containing `\n` or a
   * value `JSON.stringify` cannot encode, writing nothing of that call. `append([])` is a
   * barrier: it resolves after every earlier append is durable.
   */
  append(entries: readonly RuntimeLogEntry[]): Promise<void>;
  /** Waits for pending appends, then closes the file. Later appends reject. Idempotent. */
  close(): Promise<void>;
  /** Counters since open. */
  stats(): RuntimeLogStats;
  /** `ok`, or `unavailable` with the current incident (first and latest error, count). */
  health(): RuntimeLogHealth;
  /**
   * Calls `listener` once when an incident begins (the first failed batch after success), not
   * per failed append: the place to log the error for people. Returns an unsubscribe function.
   * Listeners run synchronously in the writer; an exception they throw is swallowed.
   */
  onIncident(listener: (error: RuntimeLogUnavailableError) => void): () => void;
  /** Calls `listener` once when a batch succeeds after an incident. Returns an unsubscribe. */
  onRecovered(listener: (recovery: RuntimeLogRecovery) => void): () => void;
}

/**
 * Opens (creating folders and file if missing) the runtime log at `options.path`, cutting a torn
 * last line left by a crash (see `RuntimeLog.repair`).
 *
 * Failure contract: open throws {@link RuntimeLogUnavailableError} if the log cannot be opened
 * at all (and `TypeError`/`RangeError` for bad options). Once open, a failure never breaks the
 * object: the failed appends reject, the file is cut back to its size before the failed batch,
 * the handle is dropped, the incident is reported once, and the next append opens the path
 * again (re-creating a deleted folder or file, using a disk with free space again, a folder
 * made writable again).
 *
 * @example
 * ```ts
 * import { openRuntimeLog, RUNTIME_LOG_MODES } from "./open_runtime_log.ts";
 *
 * const log = await openRuntimeLog({ path: "/tmp/beacon/runtime.jsonl", ...RUNTIME_LOG_MODES.user });
 * log.onIncident((error) => console.error(error.message));
 * log.onRecovered(({ failedAppends }) => console.error(`Runtime log writable again (${failedAppends} appends refused)`));
 * await log.append([{ event: "codex.user_prompt" }]);
 * // now acknowledge the sender
 * await log.close();
 * ```
 */
export async function openRuntimeLog(options: OpenRuntimeLogOptions): Promise<RuntimeLog> {
  const log = new DurableRuntimeLog(validate(options));
  await log.start();
  return log;
}

interface Settings {
  path: string;
  maxBytes: number;
  archives: number;
  fileMode: number;
  dirMode: number;
  gid: number | undefined;
  openFile: OpenRuntimeLogFile;
  now: () => Date;
  retention?: RotationRetention;
}

function validate(options: OpenRuntimeLogOptions): Settings {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const archives = options.archives ?? DEFAULT_ARCHIVES;
  const fileMode = options.fileMode ?? RUNTIME_LOG_MODES.user.fileMode;
  const dirMode = options.dirMode ?? RUNTIME_LOG_MODES.user.dirMode;
  if (typeof options.path !== "string" || options.path === "") {
    throw new TypeError("Cannot open runtime log: path is empty");
  }
  if (!(maxBytes > 0) || (Number.isFinite(maxBytes) && !Number.isInteger(maxBytes))) {
    throw new RangeError(
      `Cannot open runtime log: maxBytes must be a positive integer, not ${maxBytes}`,
    );
  }
  if (!Number.isInteger(archives) || archives < 0 || archives > 999) {
    throw new RangeError(`Cannot open runtime log: archives must be 0..999, not ${archives}`);
  }
  for (const [name, mode] of [["fileMode", fileMode], ["dirMode", dirMode]] as const) {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
      throw new RangeError(
        `Cannot open runtime log: ${name} must be a permission mode such as 0o600, not ${mode}`,
      );
    }
  }
  if (options.gid !== undefined && !(Number.isInteger(options.gid) && options.gid >= 0)) {
    throw new RangeError(`Cannot open runtime log: gid must be a group id, not ${options.gid}`);
  }
  return {
    path: options.path,
    maxBytes,
    archives,
    fileMode,
    dirMode,
    gid: options.gid,
    openFile: options.openFile ?? openRealFile,
    now: options.now ?? (() => new Date()),
    retention: options.retention,
  };
}

interface PendingAppend {
  bytes: Uint8Array;
  lines: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

class DurableRuntimeLog implements RuntimeLog {
  readonly #settings: Settings;
  readonly #health: RuntimeLogHealthTracker;
  #file: AppendableLogFile | null = null;
  /** Bytes in the current file, all of them whole, synced lines. */
  #size = 0;
  /** Set when a failed batch could not be cut back; the next open cuts the file back to it. */
  #cutBackTo: LogFileMark | null = null;
  #queue: PendingAppend[] = [];
  #writer: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  readonly #stats: Omit<RuntimeLogStats, "path" | "bytes">;
  repair: TornTailRepair = { repairedBytes: 0, tornPath: null };

  constructor(settings: Settings) {
    this.#settings = settings;
    this.#health = new RuntimeLogHealthTracker(settings.now);
    this.#stats = {
      appends: 0,
      linesWritten: 0,
      batches: 0,
      lastWriteTime: null,
      archives: 0,
      rotations: 0,
      repairedBytes: 0,
    };
  }

  get path(): string {
    return this.#settings.path;
  }

  async start(): Promise<void> {
    this.repair = await this.#open();
    try {
      this.#stats.archives = (await listRuntimeLogArchives(this.path)).length;
    } catch (error) {
      this.#closeFile();
      throw toRuntimeLogUnavailableError(error, this.path, "open");
    }
  }

  append(entries: readonly RuntimeLogEntry[]): Promise<void> {
    if (this.#closing) {
      return Promise.reject(new Error(`Cannot append to runtime log "${this.path}": it is closed`));
    }
    let bytes: Uint8Array;
    try {
      bytes = encodeRuntimeLogEntries(this.path, entries);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ bytes, lines: entries.length, resolve, reject });
      // Start on a microtask, so a synchronous burst of appends lands in the first batch.
      this.#writer ??= Promise.resolve().then(() => this.#drain());
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#writer) await this.#writer;
      this.#closeFile();
    })();
    return this.#closing;
  }

  stats(): RuntimeLogStats {
    return { path: this.path, bytes: this.#size, ...this.#stats };
  }

  health(): RuntimeLogHealth {
    return this.#health.health();
  }

  onIncident(listener: (error: RuntimeLogUnavailableError) => void): () => void {
    return this.#health.onIncident(listener);
  }

  onRecovered(listener: (recovery: RuntimeLogRecovery) => void): () => void {
    return this.#health.onRecovered(listener);
  }

  /** The single writer loop: everything queued while a batch was in flight is the next batch. */
  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          await this.#writeBatch(batch);
        } catch (error) {
          // #writeBatch settles its appends itself; this is a last guard against a bug.
          this.#fail(batch, toRuntimeLogUnavailableError(error, this.path, "write"));
        }
      }
    } finally {
      this.#writer = null;
    }
  }

  /**
   * Writes a batch as few chunks as rotation allows: whole appends fill the current file up to
   * `maxBytes`, then the file rotates and the rest goes to the new one. Each chunk is one write
   * and one sync, and its appends resolve as soon as it is durable.
   */
  async #writeBatch(batch: PendingAppend[]): Promise<void> {
    try {
      await this.#ensureOpen();
    } catch (error) {
      this.#fail(batch, toRuntimeLogUnavailableError(error, this.path, "open"));
      return;
    }
    const { maxBytes } = this.#settings;
    let next = 0;
    while (next < batch.length) {
      if (
        this.#file!.regular && this.#size > 0 && this.#size + batch[next].bytes.length > maxBytes
      ) {
        try {
          await this.#rotate();
        } catch (error) {
          this.#fail(batch.slice(next), toRuntimeLogUnavailableError(error, this.path, "rotate"));
          return;
        }
      }
      const regular = this.#file!.regular;
      const start = next;
      let bytes = batch[next++].bytes.length;
      while (
        next < batch.length &&
        (!regular || this.#size + bytes + batch[next].bytes.length <= maxBytes)
      ) {
        bytes += batch[next++].bytes.length;
      }
      const chunk = batch.slice(start, next);
      try {
        await this.#writeChunk(chunk, bytes);
      } catch (error) {
        this.#fail(batch.slice(start), toRuntimeLogUnavailableError(error, this.path, "write"));
        return;
      }
      this.#succeed(chunk);
    }
  }

  async #writeChunk(chunk: PendingAppend[], length: number): Promise<void> {
    if (length === 0) return; // only barriers: everything before them is already durable
    const file = this.#file!;
    const sizeBefore = this.#size;
    const data = joinOwnedBytes(chunk.map((pending) => pending.bytes), length);
    let operation: RuntimeLogOperation = "write";
    try {
      await writeAll(file.handle, data);
      operation = "sync";
      if (file.regular) await file.handle.syncData();
    } catch (error) {
      if (file.regular) await this.#cutBack(file, sizeBefore);
      this.#closeFile();
      throw toRuntimeLogUnavailableError(error, this.path, operation);
    }
    if (file.regular) this.#size = sizeBefore + length;
  }

  /**
   * Removes what a failed write or sync may have left (part of a line, or whole lines nobody
   * will be told were written), so the sender's retry cannot duplicate them or glue onto a half
   * line. If even that fails, the next open of the same file cuts it back before any append.
   */
  async #cutBack(file: AppendableLogFile, size: number): Promise<void> {
    try {
      await file.handle.truncate(size);
      await file.handle.syncData();
    } catch {
      this.#cutBackTo = { dev: file.dev, ino: file.ino, size };
    }
  }

  #succeed(chunk: PendingAppend[]): void {
    let lines = 0;
    for (const pending of chunk) lines += pending.lines;
    if (lines > 0) {
      this.#stats.appends += chunk.length;
      this.#stats.linesWritten += lines;
      this.#stats.batches++;
      this.#stats.lastWriteTime = this.#settings.now();
      this.#health.succeeded();
    }
    for (const pending of chunk) pending.resolve();
  }

  #fail(pendings: PendingAppend[], error: RuntimeLogUnavailableError): void {
    this.#health.failed(error, pendings.length);
    for (const pending of pendings) pending.reject(error);
  }

  /**
   * Before each batch: is the open handle still the file at `path`? A user deleting the log
   * folder leaves us writing into an unlinked inode, which would acknowledge lines nobody can
   * read. Then also refresh the size (another tool may have truncated the file).
   */
  async #ensureOpen(): Promise<void> {
    const file = this.#file;
    if (file) {
      let current: Deno.FileInfo | null = null;
      try {
        // Synchronous: a stat of a local file takes microseconds, less than the trip through
        // the thread pool an async one makes (measured: ~10% of the collector's busy time).
        current = Deno.statSync(this.path);
      } catch {
        current = null;
      }
      if (current && current.dev === file.dev && current.ino === file.ino) {
        // The same inode as the handle: its size is the file's (one stat per batch, not two).
        if (file.regular) this.#size = current.size;
        return;
      }
      this.#closeFile();
    }
    await this.#open();
  }

  /** Opens the file (see `openLogFileForAppend`); sets #file and #size. */
  async #open(): Promise<TornTailRepair> {
    const { path, fileMode, dirMode, gid, openFile } = this.#settings;
    const file = await openLogFileForAppend({
      path,
      fileMode,
      dirMode,
      gid,
      openFile,
      cutBackTo: this.#cutBackTo,
    });
    this.#cutBackTo = null;
    this.#file = file;
    this.#size = file.size;
    this.#stats.repairedBytes += file.repair.repairedBytes;
    return file.repair;
  }

  /** Closes the current file (every byte in it is synced), rotates, opens a fresh file. */
  async #rotate(): Promise<void> {
    this.#closeFile();
    this.#stats.archives = await rotateRuntimeLog(
      this.path,
      this.#settings.archives,
      this.#settings.retention,
    );
    this.#stats.rotations++;
    await this.#open();
  }

  #closeFile(): void {
    if (!this.#file) return;
    try {
      this.#file.handle.close();
    } catch {
      // already closed
    }
    this.#file = null;
  }
}

export { RuntimeLogUnavailableError };
export type { RuntimeLogEntry, RuntimeLogHealth, RuntimeLogRecovery, TornTailRepair };
