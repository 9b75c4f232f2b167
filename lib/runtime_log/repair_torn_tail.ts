/**
 * Removes the unterminated last line a crash can leave at the end of a runtime log, keeping the
 * cut bytes in a fragment file for forensics.
 *
 * @module
 */

import { basename, dirname, join } from "../host/file_path.ts";
import {
  openRealFile,
  openWithoutFollowing,
  readAt,
  type RuntimeLogFile,
  syncFolder,
  writeAll,
} from "./runtime_log_file.ts";

/** What a torn-tail repair did. */
export interface TornTailRepair {
  /** Bytes cut from the end of the log (0: the log ended with a newline, or was empty). */
  repairedBytes: number;
  /**
   * The fragment file the cut bytes were appended to, or `null` when nothing was cut or the copy
   * failed (a full disk is often why the write was torn); the repair goes ahead either way.
   */
  tornPath: string | null;
}

/** Where {@link repairTornTail} keeps what it cuts: `runtime.jsonl` -> `runtime.jsonl.torn`. */
export function tornFragmentPath(path: string): string {
  return join(dirname(path), `${basename(path)}.torn`);
}

/** Options of {@link repairTornTail}. */
export interface RepairTornTailOptions {
  /** The fragment file, see {@link tornFragmentPath}. */
  tornPath: string;
  /** Mode of the fragment file: the log file's mode (it may hold the same kind of content). */
  fileMode: number;
  /** Group to give the fragment file, as the log file's; `undefined` leaves the default. */
  gid?: number;
}

const SCAN_BLOCK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * If the file of `size` bytes does not end with `\n`, truncates it just after its last `\n` (or
 * to empty) and syncs it. Every acknowledged line ends with a newline that was synced before the
 * acknowledgement, so the fragment was never acknowledged: the sender never got an answer for it,
 * and the log must not keep half a line that the next append would glue onto.
 *
 * Before cutting, the fragment is appended (best effort) to `tornPath` followed by `\n`, so each
 * repair adds one line there and earlier fragments are kept: it may be something a person or
 * another tool wrote by hand. A failed copy does not stop the repair; `tornPath: null` says so.
 *
 * @example
 * ```ts
 * import { repairTornTail, tornFragmentPath } from "./repair_torn_tail.ts";
 *
 * await Deno.writeTextFile("/tmp/r.jsonl", '{"a":1}\n{"a":');
 * const file = await Deno.open("/tmp/r.jsonl", { read: true, write: true });
 * const tornPath = tornFragmentPath("/tmp/r.jsonl");
 * const repair = await repairTornTail(file, 13, { tornPath, fileMode: 0o600 });
 * // repair.repairedBytes === 5; the file holds '{"a":1}\n'; r.jsonl.torn ends with '{"a":\n'
 * file.close();
 * ```
 */
export async function repairTornTail(
  file: RuntimeLogFile,
  size: number,
  options: RepairTornTailOptions,
): Promise<TornTailRepair> {
  if (size === 0) return { repairedBytes: 0, tornPath: null };
  const last = await readAt(file, size - 1, 1);
  if (last.length === 1 && last[0] === NEWLINE) return { repairedBytes: 0, tornPath: null };

  const keep = await endOfLastLine(file, size);
  const copied = await copyFragment(file, keep, size, options);
  await file.truncate(keep);
  await file.syncData();
  return { repairedBytes: size - keep, tornPath: copied ? options.tornPath : null };
}

/** The offset just after the last `\n` in the first `size` bytes, or 0. */
async function endOfLastLine(file: RuntimeLogFile, size: number): Promise<number> {
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - SCAN_BLOCK);
    const block = await readAt(file, start, end - start);
    const index = block.lastIndexOf(NEWLINE);
    if (index >= 0) return start + index + 1;
    end = start;
  }
  return 0;
}

/** Appends bytes `start..end` of `file` and a newline to the fragment file; false if it failed. */
async function copyFragment(
  file: RuntimeLogFile,
  start: number,
  end: number,
  { tornPath, fileMode, gid }: RepairTornTailOptions,
): Promise<boolean> {
  let copy: RuntimeLogFile | undefined;
  try {
    // Never through a symlink planted at the fragment's name; the repair goes ahead without it.
    copy = (await openWithoutFollowing(tornPath, {
      create: true,
      mode: fileMode,
      gid,
      openFile: openRealFile,
      read: false,
    })).handle;
    for (let position = start; position < end; position += SCAN_BLOCK) {
      await writeAll(copy, await readAt(file, position, Math.min(SCAN_BLOCK, end - position)));
    }
    await writeAll(copy, new Uint8Array([NEWLINE]));
    await copy.syncData();
    await syncFolder(dirname(tornPath));
    return true;
  } catch {
    return false;
  } finally {
    copy?.close();
  }
}
