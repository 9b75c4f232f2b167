/**
 * Size-based rotation of the runtime log into numbered archives.
 *
 * @module
 */

import { dirname } from "../host/file_path.ts";
import { archivePath, listRuntimeLogArchives } from "./list_runtime_log_archives.ts";
import { syncFolder } from "./runtime_log_file.ts";

/** The file operations of one rotation, as data; see {@link planRotation}. */
export interface RotationPlan {
  /** Archive numbers to delete first: the oldest, beyond the limit. */
  remove: number[];
  /** Archive renames `[from, to]`, in the order they must run; none overwrites another. */
  renames: Array<[from: number, to: number]>;
}

/**
 * Which archives to drop and how to renumber the rest so the live file can become archive 1,
 * given the archive numbers that exist (any order, possibly with gaps) and how many to keep.
 *
 * Keeps the `archives - 1` newest (lowest-numbered), renumbered to `2..archives`; gaps, which a
 * crash in the middle of an earlier rotation can leave, are closed rather than shifted along, so
 * a crash never costs more than the archives the limit drops anyway. Pure.
 *
 * @example
 * ```ts
 * import { planRotation } from "./rotate_runtime_log.ts";
 *
 * planRotation([1, 2, 3, 4, 5], 5);
 * // { remove: [5], renames: [[4, 5], [3, 4], [2, 3], [1, 2]] }
 * planRotation([1, 3], 5);
 * // { remove: [], renames: [[1, 2]] }: 3 stays, .1 is free for the live file
 * ```
 */
export function planRotation(existing: readonly number[], archives: number): RotationPlan {
  const sorted = [...new Set(existing)].sort((a, b) => a - b);
  const keep = sorted.slice(0, Math.max(0, archives - 1));
  const remove = sorted.slice(keep.length);
  // keep[i] goes to i + 2. A leading run 1, 2, ..., m moves up by one: it must go last and
  // from its end. Everything after that run moves down (or stays) and can go first, in order:
  // its target is never taken (see the tests for gap patterns).
  let run = 0;
  while (run < keep.length && keep[run] === run + 1) run++;
  const renames: Array<[number, number]> = [];
  for (let i = run; i < keep.length; i++) {
    if (keep[i] !== i + 2) renames.push([keep[i], i + 2]);
  }
  for (let i = run - 1; i >= 0; i--) renames.push([keep[i], i + 2]);
  return { remove, renames };
}

/**
 * Asked before each rotation with the archive numbers that exist and `archives`: how many
 * archives this rotation keeps (never fewer than `archives`). See `createForwarder`.
 */
export type RotationRetention = (
  existing: readonly number[],
  archives: number,
) => Promise<number>;

/**
 * Rotates the closed log at `path`: drops the oldest archives beyond `archives`, renumbers the
 * rest, renames the log to `path.1` (or deletes it when `archives` is 0) and syncs the folder.
 * With `retention`, keeps as many archives as it asks for (at least `archives`).
 * Returns how many archives exist afterwards. A missing log file is not an error (it was
 * deleted; the writer creates a new one).
 *
 * Each step is an atomic rename or removal, so a crash at any point leaves every line in exactly
 * one file, at worst with a gap in the numbers that the next rotation closes.
 *
 * @example
 * ```ts
 * import { rotateRuntimeLog } from "./rotate_runtime_log.ts";
 *
 * const archives = await rotateRuntimeLog("/tmp/beacon/runtime.jsonl", 5);
 * // runtime.jsonl is now runtime.jsonl.1; the next append creates a new runtime.jsonl
 * ```
 */
export async function rotateRuntimeLog(
  path: string,
  archives: number,
  retention?: RotationRetention,
): Promise<number> {
  const existing = await listRuntimeLogArchives(path);
  // A reader that has not finished an archive (a forwarding destination) may keep more.
  if (retention) archives = Math.max(archives, await retention(existing, archives));
  const plan = planRotation(existing, archives);
  for (const index of plan.remove) await removeIfExists(archivePath(path, index));
  for (const [from, to] of plan.renames) {
    await Deno.rename(archivePath(path, from), archivePath(path, to));
  }
  try {
    if (archives > 0) await Deno.rename(path, archivePath(path, 1));
    else await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await syncFolder(dirname(path));
  return (await listRuntimeLogArchives(path)).length;
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
