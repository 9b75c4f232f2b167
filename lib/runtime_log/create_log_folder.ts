/**
 * Creates the runtime log's folder (and any missing parents) with an exact mode.
 *
 * @module
 */

import { dirname } from "node:path";
import { syncFolder } from "./runtime_log_file.ts";

/** Options of {@link createLogFolder}. */
export interface CreateLogFolderOptions {
  /** Mode of each folder created, applied exactly (not through the umask). */
  dirMode: number;
  /** Group to give each folder created; `undefined` leaves the process's group. */
  gid?: number;
}

/**
 * Creates `folder` and its missing parents top-down, each with exactly `dirMode` (and `gid`), and
 * syncs each parent so the new entry survives a crash. Folders that already exist are never
 * changed: the log may live in a shared folder, and endpoint repair owns existing folder modes.
 * A folder created concurrently by someone else is used as it is. Throws the file system's error
 * (`NotADirectory` when a part of the path is a file).
 *
 * @example
 * ```ts
 * import { createLogFolder } from "./create_log_folder.ts";
 *
 * await createLogFolder("/tmp/beacon/endpoint/logs", { dirMode: 0o700 });
 * // /tmp/beacon, /tmp/beacon/endpoint and .../logs are drwx------ unless they existed
 * ```
 */
export async function createLogFolder(
  folder: string,
  { dirMode, gid }: CreateLogFolderOptions,
): Promise<void> {
  const missing: string[] = [];
  for (let current = folder;; current = dirname(current)) {
    try {
      const info = await Deno.stat(current);
      if (!info.isDirectory) {
        throw new Deno.errors.NotADirectory(`"${current}" is not a folder`);
      }
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || dirname(current) === current) throw error;
      missing.unshift(current);
    }
  }
  for (const created of missing) {
    try {
      await Deno.mkdir(created, { mode: dirMode });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      continue; // created concurrently by someone else: not ours to chmod
    }
    await Deno.chmod(created, dirMode);
    if (gid !== undefined) await Deno.chown(created, null, gid);
    await syncFolder(dirname(created));
  }
}
