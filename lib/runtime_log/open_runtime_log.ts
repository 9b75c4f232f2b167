/**
 * The durable, rotating JSONL runtime log the collector appends normalised events to.
 *
 * @module
 */

import { dirname } from "node:path";
import { archivePath, listRuntimeLogArchives, tornFragmentPath } from "./list_runtime_log_archives.ts";
import { repairTornTail, type TornTailRepair } from "./repair_torn_tail.ts";
import {
  type OpenRuntimeLogFile,
  openRealFile,
  type RuntimeLogFile,
  syncFolder,
  writeAll,
} from "./runtime_log_file.ts";
import {
  type RuntimeLogOperation,
  RuntimeLogUnavailableError,
  toRuntimeLogUnavailableError,
} from "./runtime_log_unavailable_error.ts";

/** 10 MiB: the rotation size of the upstream agent, kept so existing log readers see the same. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Five numbered archives, as upstream. */
export const DEFAULT_ARCHIVES = 5;
/** Mode of a folder the log creates unless `dirMode` says otherwise. */
export const DEFAULT_DIR_MODE = 0o700;

/** Options of {@link openRuntimeLog}. */
export interface OpenRuntimeLogOptions {
  /** The log file, e.g. `~/.beacon/endpoint/logs/runtime.jsonl`. */
  path: string;
  /**
   * Rotate before a batch would push the file over this many bytes (default 10 MiB). One append
   * is never split across files, so only a single append larger than this makes a file larger.
   * `Infinity` never rotates.
   */
  maxBytes?: number;
  /** Numbered archives kept (default 5); 0 discards the file's content on rotation. */
  archives?: number;
  /**
   * Mode of the log file: 0o600 for a user install, 0o640 for a system install. Applied exactly
   * (not through the umask) when the file is created; an existing regular file that grants more
   * than this is tightened to it; one that grants less is left alone (somebody chose that).
   */
  fileMode: number;
  /**
   * Mode of each folder the log has to create (default 0o700). Folders that already exist are
   * never changed: the log may live in a shared folder; endpoint repair owns folder modes.
   */
  dirMode?: number;
  /**
   * Fault-injection seam: opens the log file instead of `Deno.open`. For tests only; see
   * `runtime_log_file.ts`.
   */
  openFile?: OpenRuntimeLogFile;
  /** Clock for `stats().lastWriteTime` and incident times; tests pin it. */
  now?: () => Date;
}

/** Counters of a runtime log since it was opened; a snapshot. */
export interface RuntimeLogStats {
  path: string;
  /** Size of the current file as last seen by the writer. */
  bytes: number;
  /** Lines made durable since open. */
  linesWritten: number;
  /** Write+sync rounds since open (lines per batch = group commit at work). */
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

/** Whether the log currently accepts writes; see {@link RuntimeLog.health}. */
export type RuntimeLogHealth =
  | { status: "ok" }
  | {
    status: "unavailable";
    /** The most recent failure. */
    error: RuntimeLogUnavailableError;
    /** When the incident began (the first failed batch). */
    since: Date;
    /** Appends rejected during this incident. */
    failedAppends: number;
  };

/** Passed to `onRecovered` listeners when a write succeeds after an incident. */
export interface RuntimeLogRecovery {
  /** The error that began the incident. */
  error: RuntimeLogUnavailableError;
  since: Date;
  until: Date;
  failedAppends: number;
}

/** An open runtime log. One writer per file: do not open the same path twice. */
export interface RuntimeLog {
  readonly path: string;
  /** What the torn-tail repair at open did (`repairedBytes` 0: the file was intact). */
  readonly repair: TornTailRepair;
  /**
   * Appends each string as one line (a JSON object without its newline). Resolves only once the
   * bytes are written and fdatasync'ed, so resolving is the moment to acknowledge the sender.
   * Concurrent calls are group-committed: one write and one sync for everything pending. Lines
   * of one call stay together, in order, in one file. Rejects with
   * {@link RuntimeLogUnavailableError} if the disk refuses; then none of its lines is in the log.
   * Throws `TypeError` (as a rejection) for a line containing `\n`. `append([])` is a barrier:
   * it resolves after every earlier append is durable.
   */
  append(lines: readonly string[]): Promise<void>;
  /** Drains pending appends, then closes the file. Later appends reject. Idempotent. */
  close(): Promise<void>;
  stats(): RuntimeLogStats;
  /** `ok`, or `unavailable` with the error since the first failure of the current incident. */
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
 * last line left by a crash.
 *
 * Failure contract: open itself throws {@link RuntimeLogUnavailableError} if the log cannot be
 * opened at all. Once open, a failure never breaks the object: the failed appends reject, the
 * file is truncated back to its size before the failed batch, the handle is dropped, and the
 * next append opens the path again (re-creating a deleted folder or file, picking up a disk with
 * free space again, a folder made writable again).
 *
 * @example
 * ```ts
 * import { openRuntimeLog } from "./open_runtime_log.ts";
 *
 * const log = await openRuntimeLog({ path: "/tmp/beacon/runtime.jsonl", fileMode: 0o600 });
 * log.onIncident((error) => console.error(error.message));
 * log.onRecovered(({ failedAppends }) => console.error(`log writable again (${failedAppends} lost)`));
 * await log.append([JSON.stringify({ event: "codex.user_prompt" })]);
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
  folder: string;
  maxBytes: number;
  archives: number;
  fileMode: number;
  dirMode: number;
  openFile: OpenRuntimeLogFile;
  now: () => Date;
}

function validate(options: OpenRuntimeLogOptions): Settings {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const archives = options.archives ?? DEFAULT_ARCHIVES;
  const dirMode = options.dirMode ?? DEFAULT_DIR_MODE;
  if (typeof options.path !== "string" || options.path === "") {
    throw new TypeError("Cannot open runtime log: path is empty");
  }
  if (!(maxBytes > 0) || (Number.isFinite(maxBytes) && !Number.isInteger(maxBytes))) {
    throw new RangeError(`Cannot open runtime log: maxBytes must be a positive integer, not ${maxBytes}`);
  }
  if (!Number.isInteger(archives) || archives < 0 || archives > 999) {
    throw new RangeError(`Cannot open runtime log: archives must be 0..999, not ${archives}`);
  }
  for (const [name, mode] of [["fileMode", options.fileMode], ["dirMode", dirMode]] as const) {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
      throw new RangeError(`Cannot open runtime log: ${name} must be a permission mode such as 0o600`);
    }
  }
  return {
    path: options.path,
    folder: dirname(options.path),
    maxBytes,
    archives,
    fileMode: options.fileMode,
    dirMode,
    openFile: options.openFile ?? openRealFile,
    now: options.now ?? (() => new Date()),
  };
}

interface PendingAppend {
  bytes: Uint8Array;
  lines: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface OpenFile {
  handle: RuntimeLogFile;
  /** Identity, to notice the path was deleted or replaced under us. */
  dev: number;
  ino: number | null;
  /** Char devices, FIFOs (`/dev/null`, `/dev/full`): no repair, rotation, mode or sync. */
  regular: boolean;
}

const encoder = new TextEncoder();

class DurableRuntimeLog implements RuntimeLog {
  readonly #settings: Settings;
  #file: OpenFile | null = null;
  #size = 0;
  #queue: PendingAppend[] = [];
  #writer: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  #incident: Extract<RuntimeLogHealth, { status: "unavailable" }> | null = null;
  readonly #incidentListeners = new Set<(error: RuntimeLogUnavailableError) => void>();
  readonly #recoveredListeners = new Set<(recovery: RuntimeLogRecovery) => void>();
  #stats: Omit<RuntimeLogStats, "path" | "bytes">;
  repair: TornTailRepair = { repairedBytes: 0, tornPath: null };

  constructor(settings: Settings) {
    this.#settings = settings;
    this.#stats = {
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
    this.#stats.archives = (await listRuntimeLogArchives(this.path)).length;
  }

  append(lines: readonly string[]): Promise<void> {
    if (this.#closing) {
      return Promise.reject(new Error(`Cannot append to runtime log "${this.path}": it is closed`));
    }
    for (const line of lines) {
      if (typeof line !== "string" || line.includes("\n")) {
        return Promise.reject(
          new TypeError(
            `Cannot append to runtime log "${this.path}": each line must be a string without "\\n"`,
          ),
        );
      }
    }
    const bytes = lines.length === 0 ? new Uint8Array(0) : encoder.encode(lines.join("\n") + "\n");
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ bytes, lines: lines.length, resolve, reject });
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
    return this.#incident ? { ...this.#incident } : { status: "ok" };
  }

  onIncident(listener: (error: RuntimeLogUnavailableError) => void): () => void {
    this.#incidentListeners.add(listener);
    return () => this.#incidentListeners.delete(listener);
  }

  onRecovered(listener: (recovery: RuntimeLogRecovery) => void): () => void {
    this.#recoveredListeners.add(listener);
    return () => this.#recoveredListeners.delete(listener);
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

  async #writeBatch(batch: PendingAppend[]): Promise<void> {
    try {
      await this.#ensureOpen();
    } catch (error) {
      this.#fail(batch, toRuntimeLogUnavailableError(error, this.path, "open"));
      return;
    }
    let next = 0;
    while (next < batch.length) {
      if (
        this.#file!.regular && this.#size > 0 &&
        this.#size + batch[next].bytes.length > this.#settings.maxBytes
      ) {
        try {
          await this.#rotate();
        } catch (error) {
          this.#fail(batch.slice(next), toRuntimeLogUnavailableError(error, this.path, "rotate"));
          return;
        }
      }
      // Fill the current file up to maxBytes with whole appends; at least one.
      const regular = this.#file!.regular;
      const start = next;
      let bytes = batch[next++].bytes.length;
      while (
        next < batch.length &&
        (!regular || this.#size + bytes + batch[next].bytes.length <= this.#settings.maxBytes)
      ) {
        bytes += batch[next++].bytes.length;
      }
      const chunk = batch.slice(start, next);
      try {
        await this.#writeChunk(chunk, bytes);
      } catch (error) {
        this.#fail(batch.slice(start), error as RuntimeLogUnavailableError);
        return;
      }
      this.#succeed(chunk);
    }
  }

  async #writeChunk(chunk: PendingAppend[], length: number): Promise<void> {
    const file = this.#file!;
    const sizeBefore = this.#size;
    if (length === 0) return;
    const data = chunk.length === 1 ? chunk[0].bytes : new Uint8Array(length);
    if (chunk.length > 1) {
      let offset = 0;
      for (const pending of chunk) {
        data.set(pending.bytes, offset);
        offset += pending.bytes.length;
      }
    }
    let operation: RuntimeLogOperation = "write";
    try {
      await writeAll(file.handle, data);
      operation = "sync";
      if (file.regular) await file.handle.syncData();
    } catch (error) {
      // Leave no partial line: cut back to the last acknowledged byte. If even that fails, the
      // re-open before the next batch repairs the torn tail.
      if (file.regular) {
        try {
          await file.handle.truncate(sizeBefore);
          await file.handle.syncData();
        } catch {
          // repaired on re-open
        }
      }
      this.#closeFile();
      throw toRuntimeLogUnavailableError(error, this.path, operation);
    }
    if (file.regular) this.#size = sizeBefore + length;
  }

  #succeed(chunk: PendingAppend[]): void {
    const now = this.#settings.now();
    let lines = 0;
    for (const pending of chunk) lines += pending.lines;
    if (lines === 0) {
      for (const pending of chunk) pending.resolve();
      return;
    }
    this.#stats.linesWritten += lines;
    this.#stats.batches++;
    this.#stats.lastWriteTime = now;
    if (this.#incident) {
      const { error, since, failedAppends } = this.#incident;
      this.#incident = null;
      this.#emit(this.#recoveredListeners, { error, since, until: now, failedAppends });
    }
    for (const pending of chunk) pending.resolve();
  }

  #fail(pendings: PendingAppend[], error: RuntimeLogUnavailableError): void {
    if (this.#incident) {
      this.#incident.error = error;
      this.#incident.failedAppends += pendings.length;
    } else {
      this.#incident = {
        status: "unavailable",
        error,
        since: this.#settings.now(),
        failedAppends: pendings.length,
      };
      this.#emit(this.#incidentListeners, error);
    }
    for (const pending of pendings) pending.reject(error);
  }

  #emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch {
        // A listener's bug must not stop the writer or leave appends unsettled.
      }
    }
  }

  /**
   * Before each batch: is the open handle still the file at `path`? A user deleting the log
   * folder leaves us writing into an unlinked inode, which would acknowledge lines nobody can
   * read. Then also refresh the size (another tool may have truncated the file).
   */
  async #ensureOpen(): Promise<void> {
    if (this.#file) {
      const file = this.#file;
      let current: Deno.FileInfo | null = null;
      try {
        current = await Deno.stat(this.path);
      } catch {
        current = null;
      }
      if (current && current.dev === file.dev && current.ino === file.ino) {
        if (!file.regular) return;
        try {
          this.#size = (await file.handle.stat()).size;
          return;
        } catch {
          // fall through to a fresh open, which reports the error if it persists
        }
      }
      this.#closeFile();
    }
    await this.#open();
  }

  /** Opens (creating if missing) the file and repairs a torn tail; sets #file and #size. */
  async #open(): Promise<TornTailRepair> {
    const { path, folder, fileMode, openFile } = this.#settings;
    await this.#createFolders(folder);
    let handle: RuntimeLogFile;
    let created = false;
    try {
      try {
        handle = await openFile(path, { read: true, append: true, createNew: true, mode: fileMode });
        created = true;
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        handle = await openFile(path, { read: true, append: true });
      }
    } catch (error) {
      throw toRuntimeLogUnavailableError(error, path, "open");
    }
    try {
      const info = await handle.stat();
      const regular = info.isFile;
      let repair: TornTailRepair = { repairedBytes: 0, tornPath: null };
      if (created) {
        await Deno.chmod(path, fileMode); // exact mode, whatever the umask
        await syncFolder(folder);
      } else if (regular) {
        await tightenMode(path, info.mode, fileMode);
        repair = await repairTornTail(handle, info.size, tornFragmentPath(path), fileMode);
        this.#stats.repairedBytes += repair.repairedBytes;
      }
      this.#file = { handle, dev: info.dev, ino: info.ino, regular };
      this.#size = regular ? info.size - repair.repairedBytes : 0;
      return repair;
    } catch (error) {
      handle.close();
      throw toRuntimeLogUnavailableError(error, path, "open");
    }
  }

  /** Creates the missing folders top-down with exactly dirMode, syncing each parent. */
  async #createFolders(folder: string): Promise<void> {
    const missing: string[] = [];
    for (let current = folder;; current = dirname(current)) {
      try {
        const info = await Deno.stat(current);
        if (!info.isDirectory) {
          throw new Deno.errors.NotADirectory(`"${current}" is not a folder`);
        }
        break;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound) || dirname(current) === current) {
          throw toRuntimeLogUnavailableError(error, this.path, "create folder");
        }
        missing.unshift(current);
      }
    }
    try {
      for (const created of missing) {
        try {
          await Deno.mkdir(created, { mode: this.#settings.dirMode });
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
          continue; // created concurrently by someone else: not ours to chmod
        }
        await Deno.chmod(created, this.#settings.dirMode);
        await syncFolder(dirname(created));
      }
    } catch (error) {
      throw toRuntimeLogUnavailableError(error, this.path, "create folder");
    }
  }

  /**
   * `runtime.jsonl.(N-1)` -> `.N` ... `runtime.jsonl` -> `.1`, dropping archives beyond the
   * limit, then a fresh file. Each step is an atomic rename, so a crash at any point leaves every
   * line in exactly one file (possibly with a gap in the numbers, which readers tolerate).
   */
  async #rotate(): Promise<void> {
    const { path, folder, archives } = this.#settings;
    this.#closeFile(); // every byte in it is already synced
    const existing = await listRuntimeLogArchives(path);
    for (const index of existing.toReversed()) {
      if (index >= archives) await removeIfExists(archivePath(path, index));
    }
    for (const index of existing.filter((n) => n < archives).toReversed()) {
      await Deno.rename(archivePath(path, index), archivePath(path, index + 1));
    }
    if (archives > 0) await Deno.rename(path, archivePath(path, 1));
    else await removeIfExists(path);
    await syncFolder(folder);
    this.#stats.rotations++;
    this.#stats.archives = Math.min(archives, existing.filter((n) => n < archives).length + 1);
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

async function tightenMode(path: string, current: number | null, wanted: number): Promise<void> {
  if (current === null || ((current & 0o777) & ~wanted) === 0) return;
  try {
    await Deno.chmod(path, wanted);
  } catch {
    // Not our file to chmod (another owner): writing may still work; don't block the log on it.
  }
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

export { RuntimeLogUnavailableError };
export type { TornTailRepair };
