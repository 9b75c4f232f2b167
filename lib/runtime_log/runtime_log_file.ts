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
