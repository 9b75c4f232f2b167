/**
 * A destination's durable place in the runtime log: which file (by identity, so renaming it to
 * an archive does not move it) and how far into it the gateway has acknowledged.
 *
 * @module
 */
import { dirname, join } from "../host/file_path.ts";

/** Where a destination has got to, and what happened to its events so far. */
export interface ForwardCursor {
  /** The file's device and inode: a rotation renames the file, the identity stays. */
  dev: number;
  ino: number;
  /**
   * SHA-256 of the file's first line, so a new file that reuses a deleted file's inode is not
   * taken for it; "" while the cursor is at offset 0 (any file is right then).
   */
  head: string;
  /** Bytes of the file the gateway has acknowledged (always a line boundary). */
  offset: number;
  /** Events the gateway acknowledged, since the cursor was created. */
  delivered: number;
  /** Events in batches the gateway refused for good (4xx other than 408/429). */
  rejected: number;
  /** Events a gateway's partial success reported as rejected. */
  partially_rejected: number;
  /** Undelivered events rotation deleted (past forwarding.max_undelivered_archives). */
  dropped: number;
}

/** The cursor file of destination `name` beside the runtime log at `logPath`. */
export function forwardCursorPath(logPath: string, name: string): string {
  return join(dirname(logPath), "forward", `${name}.cursor.json`);
}

/** Reads a cursor file; `null` when there is none yet. A damaged file is an error for people. */
export async function readForwardCursor(path: string): Promise<ForwardCursor | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    const value = JSON.parse(text) as ForwardCursor;
    for (const key of ["dev", "ino", "offset"] as const) {
      if (!Number.isSafeInteger(value[key]) || value[key] < 0) throw new Error(`bad ${key}`);
    }
    return {
      dev: value.dev,
      ino: value.ino,
      head: typeof value.head === "string" ? value.head : "",
      offset: value.offset,
      delivered: value.delivered ?? 0,
      rejected: value.rejected ?? 0,
      partially_rejected: value.partially_rejected ?? 0,
      dropped: value.dropped ?? 0,
    };
  } catch (error) {
    throw new Error(
      `Cannot read the forwarding cursor "${path}": ${(error as Error).message}. ` +
        "Delete it to deliver again from the oldest archive (the gateway may then see duplicates).",
    );
  }
}

/**
 * Writes a cursor atomically (temporary file, fsync, rename, folder fsync): after a crash the
 * file holds the old cursor or the new one, never a mix. `mode` is the file's mode (0600 user).
 */
export async function writeForwardCursor(
  path: string,
  cursor: ForwardCursor,
  mode = 0o600,
): Promise<void> {
  const folder = dirname(path);
  await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.tmp-${Deno.pid}`;
  const file = await Deno.open(temporary, { write: true, create: true, truncate: true, mode });
  try {
    await file.write(new TextEncoder().encode(JSON.stringify(cursor) + "\n"));
    await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(temporary, path);
  const dir = await Deno.open(folder, { read: true });
  try {
    await dir.sync();
  } catch {
    // some file systems cannot sync a folder; the rename is still atomic
  } finally {
    dir.close();
  }
}
