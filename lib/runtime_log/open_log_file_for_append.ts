/**
 * Opens the runtime log file for appending, creating what is missing and leaving it ending on a
 * whole line.
 *
 * @module
 */

import { dirname } from "../host/file_path.ts";
import { createLogFolder } from "./create_log_folder.ts";
import { repairTornTail, tornFragmentPath, type TornTailRepair } from "./repair_torn_tail.ts";
import {
  type OpenRuntimeLogFile,
  openWithoutFollowing,
  type RuntimeLogFile,
  syncFolder,
} from "./runtime_log_file.ts";
import { toRuntimeLogUnavailableError } from "./runtime_log_unavailable_error.ts";

/** Which file (device and inode) had which size: a point to cut a file back to. */
export interface LogFileMark {
  dev: number;
  ino: number | null;
  size: number;
}

/** Options of {@link openLogFileForAppend}. */
export interface OpenLogFileForAppendOptions {
  /** The log file. */
  path: string;
  /** Mode of a file it creates (exact, not through the umask); an existing file is tightened. */
  fileMode: number;
  /** Mode of each folder it creates. */
  dirMode: number;
  /** Group of what it creates; `undefined` leaves the process's group. */
  gid?: number;
  /** Opens the file: `Deno.open`, or a fault-injecting stand-in in tests. */
  openFile: OpenRuntimeLogFile;
  /**
   * If the file at `path` is still this one (same device and inode) and is longer, cut it back to
   * `size` first: the writer failed to remove a failed batch's bytes, and they must not stay.
   */
  cutBackTo?: LogFileMark | null;
}

/** An open log file, positioned to append after its last whole line. */
export interface AppendableLogFile {
  handle: RuntimeLogFile;
  /** Identity, to notice later that the path was deleted or replaced. */
  dev: number;
  ino: number | null;
  /**
   * `false` for character devices and FIFOs (`/dev/full`, `/dev/stdout`): they get no repair,
   * mode change, rotation or sync.
   */
  regular: boolean;
  /** Bytes in the file after any cut-back and repair. */
  size: number;
  /** What the torn-tail repair did. */
  repair: TornTailRepair;
}

/**
 * Opens `path` for appending. Creates the missing folders and the file with exact modes (and
 * syncs their parent folders so they survive a crash), and refuses a folder others can write to
 * (see `createLogFolder`), a symlink at `path` (never followed, nothing created through it) and a
 * file that is not the process's own (a planted hard link). An existing regular file that grants more
 * than `fileMode` is tightened to it; one that grants less is left alone (somebody chose that).
 * Then cuts back a failed batch (`cutBackTo`) and repairs a torn last line (see
 * `repairTornTail`). Throws a `RuntimeLogUnavailableError` naming the step that failed.
 *
 * @example
 * ```ts
 * import { openLogFileForAppend } from "./open_log_file_for_append.ts";
 * import { openRealFile } from "./runtime_log_file.ts";
 *
 * const file = await openLogFileForAppend({
 *   path: "/tmp/beacon/runtime.jsonl",
 *   fileMode: 0o600,
 *   dirMode: 0o700,
 *   openFile: openRealFile,
 * });
 * await file.handle.write(new TextEncoder().encode('{"event":"x"}\n'));
 * file.handle.close();
 * ```
 */
export async function openLogFileForAppend(
  options: OpenLogFileForAppendOptions,
): Promise<AppendableLogFile> {
  const { path, fileMode, dirMode, gid, openFile, cutBackTo } = options;
  const folder = dirname(path);
  try {
    await createLogFolder(folder, { dirMode, gid });
  } catch (error) {
    throw toRuntimeLogUnavailableError(error, path, "create folder");
  }
  let handle: RuntimeLogFile;
  let created: boolean;
  try {
    // Never through a symlink: someone who could write into the folder may have planted one.
    const pinned = await openWithoutFollowing(path, {
      create: true,
      mode: fileMode,
      gid,
      openFile,
      read: true,
    });
    handle = pinned.handle;
    created = pinned.created;
  } catch (error) {
    throw toRuntimeLogUnavailableError(error, path, "open");
  }
  let step: "open" | "truncate" = "open";
  try {
    const info = await handle.stat();
    const regular = info.isFile;
    let size = regular ? info.size : 0;
    let repair: TornTailRepair = { repairedBytes: 0, tornPath: null };
    if (created) {
      await syncFolder(folder); // mode and group were set when it was opened (openWithoutFollowing)
    } else if (regular) {
      if (
        cutBackTo && cutBackTo.dev === info.dev && cutBackTo.ino !== null &&
        cutBackTo.ino === info.ino && cutBackTo.size < size
      ) {
        step = "truncate";
        await handle.truncate(cutBackTo.size);
        await handle.syncData();
        size = cutBackTo.size;
        step = "open";
      }
      repair = await repairTornTail(handle, size, {
        tornPath: tornFragmentPath(path),
        fileMode,
        gid,
      });
      size -= repair.repairedBytes;
    }
    return { handle, dev: info.dev, ino: info.ino, regular, size, repair };
  } catch (error) {
    handle.close();
    throw toRuntimeLogUnavailableError(error, path, step);
  }
}
