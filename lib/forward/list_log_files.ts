/**
 * The runtime log's files in delivery order, each with its identity.
 *
 * @module
 */
import { archivePath, listRuntimeLogArchives } from "../runtime_log/list_runtime_log_archives.ts";

/** One file of the runtime log as it is now. */
export interface LogFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
  /** The live file the collector appends to (always last). */
  live: boolean;
}

/**
 * The archives, oldest first, then the live file (when it exists): the order events were
 * written in. A file that vanishes while this runs is left out.
 */
export async function listLogFiles(path: string): Promise<LogFile[]> {
  const numbers = await listRuntimeLogArchives(path);
  const candidates = [
    ...numbers.reverse().map((n) => ({ path: archivePath(path, n), live: false })),
    { path, live: true },
  ];
  const files: LogFile[] = [];
  for (const candidate of candidates) {
    try {
      const info = await Deno.stat(candidate.path);
      if (!info.isFile) continue;
      files.push({ ...candidate, dev: info.dev, ino: info.ino ?? 0, size: info.size });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files;
}

/** Reads `length` bytes of `path` from `offset` (fewer at the end of the file). */
export async function readFileRange(
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  try {
    await file.seek(offset, Deno.SeekMode.Start);
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  } finally {
    file.close();
  }
}
