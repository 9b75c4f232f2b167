/**
 * The file-system seam of the runtime log: the calls it makes on an open log file.
 *
 * Production code uses `Deno.open` (a `Deno.FsFile` satisfies {@link RuntimeLogFile}). Tests may
 * pass their own `openFile` to `openRuntimeLog` to inject faults real disks rarely give on demand
 * (a write that lands half its bytes and then fails, EIO on sync). Folder creation, renames and
 * removals always go to the real file system, and the real-failure tests (`/dev/full`, a full
 * tmpfs, an immutable folder) exercise the production path.
 *
 * @module
 */

import {
  closeSync,
  constants as fsConstants,
  fchmodSync,
  fchownSync,
  fstatSync,
  openSync,
} from "node:fs";

/** The calls the runtime log makes on an open file. `Deno.FsFile` implements all of them. */
export interface RuntimeLogFile {
  write(bytes: Uint8Array): Promise<number>;
  read(buffer: Uint8Array): Promise<number | null>;
  seek(offset: number, whence: Deno.SeekMode): Promise<number>;
  syncData(): Promise<void>;
  truncate(length?: number): Promise<void>;
  stat(): Promise<Deno.FileInfo>;
  close(): void;
}

/** Opens a file like `Deno.open`; the seam for fault injection. */
export type OpenRuntimeLogFile = (
  path: string,
  options: Deno.OpenOptions,
) => Promise<RuntimeLogFile>;

/** The production {@link OpenRuntimeLogFile}: `Deno.open`. */
export const openRealFile: OpenRuntimeLogFile = (path, options) => Deno.open(path, options);

/** Writes every byte (a `write` may land fewer bytes than asked); throws on the first error. */
export async function writeAll(file: RuntimeLogFile, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const written = await file.write(offset === 0 ? bytes : bytes.subarray(offset));
    if (written <= 0) throw new Error(`write returned ${written}`);
    offset += written;
  }
}

/** Reads `length` bytes at `position`, fewer only at the end of the file. */
export async function readAt(
  file: RuntimeLogFile,
  position: number,
  length: number,
): Promise<Uint8Array> {
  const buffer = new Uint8Array(length);
  await file.seek(position, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null || read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** Makes a folder's entries (created, renamed or removed files) durable: fsync on the folder. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await Deno.open(folder, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/** A file opened without following a symlink at its name; see {@link openWithoutFollowing}. */
export interface PinnedFile {
  /** The open handle (from `openFile`). */
  handle: RuntimeLogFile;
  /** Whether this open created the file. */
  created: boolean;
}

/** Options of {@link openWithoutFollowing}. */
export interface OpenWithoutFollowingOptions {
  /** Create the file when missing (never through a symlink). */
  create: boolean;
  /**
   * Mode of a created file, exact (not through the umask). An existing regular file that grants
   * more is narrowed to it; one that grants less is left alone (somebody chose that).
   */
  mode: number;
  /** Group of a created file; `undefined` leaves the process's group. */
  gid?: number;
  /** Opens the pinned file as a handle: `Deno.open` or a test's stand-in. */
  openFile: OpenRuntimeLogFile;
  /** Access wanted: read and append (the log), or append only (a fragment file). */
  read: boolean;
}

/**
 * Opens `path` for appending without ever following a symlink at its name (`O_NOFOLLOW`: a link
 * there fails with `ELOOP`) and without creating anything through one (`O_CREAT|O_EXCL`). Deno's
 * own `open` has no such flag, so the file is opened with `node:fs`, its mode and group are set on
 * that descriptor (`fchmod`, `fchown`: a path-based chmod would follow a link swapped in
 * meanwhile), and `openFile` then opens the path again, which must give the same device and
 * inode. (Reopening through `/proc/self/fd` would need `--allow-all`.) An existing regular file that is not the process's own is refused (`code`
 * `EUNSAFE`): in a log folder only the collector creates files, so it is a planted hard link.
 * Throws the file system's error otherwise (`code` `ELOOP`, `ENOENT`, ...).
 */
export async function openWithoutFollowing(
  path: string,
  options: OpenWithoutFollowingOptions,
): Promise<PinnedFile> {
  const access = (options.read ? fsConstants.O_RDWR : fsConstants.O_WRONLY) |
    fsConstants.O_APPEND | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
  let fd: number;
  let created = false;
  if (options.create) {
    try {
      fd = openSync(path, access | fsConstants.O_CREAT | fsConstants.O_EXCL, options.mode);
      created = true;
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      fd = openSync(path, access);
    }
  } else {
    fd = openSync(path, access);
  }
  try {
    const before = fstatSync(fd);
    const uid = Deno.uid();
    if (!created && before.isFile() && uid !== null && before.uid !== uid) {
      throw notTheProcesssFile(path, before.uid, uid);
    }
    if (created) {
      fchmodSync(fd, options.mode);
      if (options.gid !== undefined) fchownSync(fd, before.uid, options.gid);
    } else if (before.isFile() && ((before.mode & 0o777) & ~options.mode) !== 0) {
      try {
        fchmodSync(fd, options.mode);
      } catch {
        // A file system without modes: writing still works; don't block the log on it.
      }
    }
    const pinned = fstatSync(fd);
    // Deno.open by path (the fault-injection seam), then proof it is the file pinned above: a
    // link swapped in meanwhile is opened but never written to.
    const handle = await options.openFile(path, { read: options.read, append: true });
    const opened = await handle.stat().catch((error) => {
      handle.close();
      throw error;
    });
    if (opened.dev !== pinned.dev || opened.ino !== pinned.ino) {
      handle.close();
      throw Object.assign(new Error(`"${path}" was replaced while it was being opened`), {
        code: "ELOOP",
      });
    }
    return { handle, created };
  } finally {
    closeSync(fd);
  }
}

/** A log file owned by someone else: a hard link planted to make the collector write there. */
function notTheProcesssFile(path: string, owner: number, uid: number): Error {
  return Object.assign(
    new Error(
      `"${path}" belongs to uid ${owner}, not to the collector (uid ${uid}), so someone else ` +
        "may have put it there (a hard link to another file)",
    ),
    {
      code: "EUNSAFE",
      remedy: `Move it aside and check where it came from (ls -li "${path}"); the collector ` +
        "then creates its own file.",
    },
  );
}
