/**
 * A fault-injecting `OpenRuntimeLogFile` for runtime log tests: real files underneath, with
 * errors (ENOSPC, EACCES, EIO...) and short writes switched on and off by the test, and counters
 * of what the log did.
 *
 * @module
 */

import type {
  OpenRuntimeLogFile,
  RuntimeLogFile,
} from "../../../lib/runtime_log/runtime_log_file.ts";

/** Faults in force; set and clear fields while the log runs. */
export interface Faults {
  /** `open` of the log file throws this errno. */
  open?: string | null;
  /**
   * Writes fail with `code`. With `land`, each failing batch first lands up to `land` bytes for
   * real (a short write, as a filling disk gives; always less than asked), then the next write
   * throws.
   */
  write?: { code: string; land?: number } | null;
  /** `syncData` throws this errno (after the write landed). */
  sync?: string | null;
  /** `truncate` throws this errno. */
  truncate?: string | null;
  /** Awaited at the start of each `syncData`: a test holds a sync in flight with it. */
  beforeSync?: (() => Promise<void>) | null;
}

/** What the log did through the injected file layer. */
export interface FileCounters {
  opens: number;
  writes: number;
  syncs: number;
  truncates: number;
  /** Writes the file system itself completed only in part (not counting injected ones). */
  shortWrites: number;
  /** The most writes and syncs that were in flight at once (1 for a single writer). */
  maxInFlight: number;
}

/** A fault-injecting file layer and its controls. */
export interface FaultyFileSystem {
  openFile: OpenRuntimeLogFile;
  faults: Faults;
  counters: FileCounters;
}

const MESSAGES: Record<string, string> = {
  ENOSPC: "No space left on device (os error 28)",
  EDQUOT: "Disk quota exceeded (os error 122)",
  EACCES: "Permission denied (os error 13)",
  EROFS: "Read-only file system (os error 30)",
  EIO: "Input/output error (os error 5)",
};

/** An error shaped like the one `Deno.open`/`write` throws for `code`. */
export function errnoError(code: string): Error {
  const message = MESSAGES[code] ?? `${code} (injected)`;
  const error = code === "EACCES"
    ? new Deno.errors.PermissionDenied(message)
    : code === "ENOENT"
    ? new Deno.errors.NotFound(message)
    : new Error(message);
  Object.defineProperty(error, "code", { value: code, configurable: true });
  return error;
}

/** A file layer over real files whose faults the test switches; see {@link Faults}. */
export function faultyFileSystem(): FaultyFileSystem {
  const faults: Faults = {};
  const counters: FileCounters = {
    opens: 0,
    writes: 0,
    syncs: 0,
    truncates: 0,
    shortWrites: 0,
    maxInFlight: 0,
  };
  const openFile: OpenRuntimeLogFile = async (path, options) => {
    if (faults.open) throw errnoError(faults.open);
    const file = await Deno.open(path, options);
    counters.opens++;
    return new FaultyFile(file, faults, counters);
  };
  return { openFile, faults, counters };
}

class FaultyFile implements RuntimeLogFile {
  /** Whether the next failing write lands bytes first (true after each throw). */
  #landNext = true;

  constructor(
    readonly file: Deno.FsFile,
    readonly faults: Faults,
    readonly counters: FileCounters,
  ) {}

  async write(bytes: Uint8Array): Promise<number> {
    return await this.#tracked(async () => {
      this.counters.writes++;
      const fault = this.faults.write;
      if (!fault) {
        const written = await this.file.write(bytes);
        if (written < bytes.length) this.counters.shortWrites++;
        return written;
      }
      if (fault.land && this.#landNext && bytes.length > 1) {
        this.#landNext = false;
        return await this.file.write(bytes.subarray(0, Math.min(fault.land, bytes.length - 1)));
      }
      this.#landNext = true;
      throw errnoError(fault.code);
    });
  }

  async syncData(): Promise<void> {
    await this.#tracked(async () => {
      this.counters.syncs++;
      await this.faults.beforeSync?.();
      if (this.faults.sync) throw errnoError(this.faults.sync);
      await this.file.syncData();
    });
  }

  async truncate(length?: number): Promise<void> {
    this.counters.truncates++;
    if (this.faults.truncate) throw errnoError(this.faults.truncate);
    await this.file.truncate(length);
  }

  read(buffer: Uint8Array): Promise<number | null> {
    return this.file.read(buffer);
  }

  seek(offset: number, whence: Deno.SeekMode): Promise<number> {
    return this.file.seek(offset, whence);
  }

  stat(): Promise<Deno.FileInfo> {
    return this.file.stat();
  }

  close(): void {
    this.file.close();
  }

  async #tracked<T>(run: () => Promise<T>): Promise<T> {
    inFlight.count++;
    this.counters.maxInFlight = Math.max(this.counters.maxInFlight, inFlight.count);
    try {
      return await run();
    } finally {
      inFlight.count--;
    }
  }
}

/** Writes and syncs in flight across every file of every faulty file system. */
const inFlight = { count: 0 };
