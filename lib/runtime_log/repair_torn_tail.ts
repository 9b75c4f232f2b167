/**
 * Removes the unterminated last line a crash can leave at the end of a runtime log.
 *
 * @module
 */

import { readAt, type RuntimeLogFile, writeAll } from "./runtime_log_file.ts";

/** What a torn-tail repair did. */
export interface TornTailRepair {
  /** Bytes cut from the end of the log (0: the log ended with a newline). */
  repairedBytes: number;
  /** Where the cut fragment was copied, or `null` when nothing was cut or the copy failed. */
  tornPath: string | null;
}

const SCAN_BLOCK = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * If the file of `size` bytes does not end with `\n`, truncates it just after its last `\n` (or
 * to empty) and syncs it. Every acknowledged line ends with a newline that was synced before the
 * acknowledgement, so the fragment was never acknowledged: the sender still has it and the log
 * must not keep half a line.
 *
 * The fragment is first copied (best effort, replacing an earlier copy) to `tornPath` with
 * `fileMode` for forensics: it may be something a person or another tool wrote by hand. A failed
 * copy (the disk may be full: that is often why the write was torn) does not stop the repair.
 *
 * @example
 * ```ts
 * import { repairTornTail } from "./repair_torn_tail.ts";
 *
 * await Deno.writeTextFile("/tmp/r.jsonl", '{"a":1}\n{"a":');
 * const file = await Deno.open("/tmp/r.jsonl", { read: true, write: true });
 * const repair = await repairTornTail(file, 13, "/tmp/r.jsonl.torn", 0o600);
 * // repair.repairedBytes === 5; the file now holds '{"a":1}\n'
 * file.close();
 * ```
 */
export async function repairTornTail(
  file: RuntimeLogFile,
  size: number,
  tornPath: string,
  fileMode: number,
): Promise<TornTailRepair> {
  if (size === 0) return { repairedBytes: 0, tornPath: null };
  const last = await readAt(file, size - 1, 1);
  if (last.length === 1 && last[0] === NEWLINE) return { repairedBytes: 0, tornPath: null };

  const keep = await endOfLastLine(file, size);
  const copied = await copyFragment(file, keep, size, tornPath, fileMode);
  await file.truncate(keep);
  await file.syncData();
  return { repairedBytes: size - keep, tornPath: copied ? tornPath : null };
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

async function copyFragment(
  file: RuntimeLogFile,
  start: number,
  end: number,
  tornPath: string,
  fileMode: number,
): Promise<boolean> {
  let copy: Deno.FsFile | undefined;
  try {
    copy = await Deno.open(tornPath, { write: true, create: true, truncate: true, mode: fileMode });
    await Deno.chmod(tornPath, fileMode);
    for (let position = start; position < end; position += SCAN_BLOCK) {
      await writeAll(copy, await readAt(file, position, Math.min(SCAN_BLOCK, end - position)));
    }
    await copy.syncData();
    return true;
  } catch {
    return false;
  } finally {
    copy?.close();
  }
}
