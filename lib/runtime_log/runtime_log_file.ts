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
import { errnoCode } from "./runtime_log_unavailable_error.ts";

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
 * Opens `path` for appending without ever following a symlink at its name, and without creating
 * anything through one. A new file is created with `createNew` (`O_CREAT|O_EXCL`, which fails on
 * any name that exists, a link included); an existing one must be, by `lstat`, a regular file of
 * the process's own (a symlink fails with `code` `ELOOP`; another owner's file, a planted hard
 * link, with `EUNSAFE`; a FIFO or socket with `EUNSAFE`, never opened, so an open cannot block).
 * The handle is then proven to be the file that was checked (same device and inode), or closed
 * unused. A created file is given its exact mode (past the umask) and group by path: the log
 * folder admits nobody else's changes (`createLogFolder`), so nothing can be swapped in between.
 *
 * Deno's `open` has no `O_NOFOLLOW`; this gets the same guarantees without `node:fs`, whose first
 * import costs the collector 5-10 MB of idle memory. Throws the file system's error otherwise
 * (`ENOENT`, `EISDIR`, ...).
 */
export async function openWithoutFollowing(
  path: string,
  options: OpenWithoutFollowingOptions,
): Promise<PinnedFile> {
  const access = { read: options.read, append: true };
  let handle: RuntimeLogFile | undefined;
  let created = false;
  if (options.create) {
    try {
      handle = await options.openFile(path, { ...access, createNew: true, mode: options.mode });
      created = true;
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
    }
  }
  try {
    const named = await Deno.lstat(path);
    if (named.isSymlink) throw symlinkAt(path);
    if (named.isDirectory) {
      throw Object.assign(new Error(`"${path}" is a folder`), { code: "EISDIR" });
    }
    // A FIFO would block the open until a reader came; a socket cannot be opened. Devices are
    // fine (/dev/null discards the log; /dev/full is how tests get a real ENOSPC).
    if (named.isFifo || named.isSocket) throw notARegularFile(path);
    if (!created) {
      const uid = Deno.uid();
      if (named.isFile && uid !== null && named.uid !== uid) {
        throw notTheProcesssFile(path, named.uid!, uid);
      }
      handle = await options.openFile(path, access);
    }
    const opened = await handle!.stat();
    if (opened.dev !== named.dev || opened.ino !== named.ino) {
      throw Object.assign(new Error(`"${path}" was replaced while it was being opened`), {
        code: "ELOOP",
      });
    }
    if (created) {
      await Deno.chmod(path, options.mode);
      if (options.gid !== undefined) await Deno.chown(path, null, options.gid);
    } else if (named.isFile && ((named.mode! & 0o777) & ~options.mode) !== 0) {
      // A file system without modes: writing still works; don't block the log on it.
      await Deno.chmod(path, options.mode).catch(() => {});
    }
    return { handle: handle!, created };
  } catch (error) {
    handle?.close();
    throw error;
  }
}

function symlinkAt(path: string): Error {
  return Object.assign(new Error(`"${path}" is a symbolic link`), { code: "ELOOP" });
}

function notARegularFile(path: string): Error {
  return Object.assign(
    new Error(`"${path}" is a FIFO or a socket, not a file`),
    {
      code: "EUNSAFE",
      remedy: `Move it aside and check where it came from (ls -l "${path}"); the collector ` +
        "then creates its own file.",
    },
  );
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
