/**
 * Names of the numbered archives beside a runtime log (`runtime.jsonl.1` is the newest).
 *
 * @module
 */

import { basename, dirname } from "../host/file_path.ts";

/** The path of archive number `index` of the log at `path`: `runtime.jsonl` -> `runtime.jsonl.2`. */
export function archivePath(path: string, index: number): string {
  return `${path}.${index}`;
}

/**
 * The archive numbers that exist beside the log at `path`, ascending (newest first). Numbers may
 * have gaps (a crash in the middle of a rotation leaves one); both the writer and the reader cope.
 * A missing folder gives `[]`.
 *
 * @example
 * ```ts
 * import { listRuntimeLogArchives } from "./list_runtime_log_archives.ts";
 *
 * const numbers = await listRuntimeLogArchives("/var/log/beacon-agent/runtime.jsonl");
 * // [1, 2, 3]: runtime.jsonl.3 is the oldest
 * ```
 */
export async function listRuntimeLogArchives(path: string): Promise<number[]> {
  const prefix = `${basename(path)}.`;
  const numbers: number[] = [];
  try {
    for await (const entry of Deno.readDir(dirname(path))) {
      if (!entry.name.startsWith(prefix)) continue;
      const suffix = entry.name.slice(prefix.length);
      if (!/^[1-9][0-9]{0,5}$/.test(suffix)) continue;
      if (entry.isDirectory) continue;
      numbers.push(Number(suffix));
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  return numbers.sort((a, b) => a - b);
}
