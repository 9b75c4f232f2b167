import { basename, dirname, join } from "node:path";
import type { FileInfo, FileSystem, Lock } from "./file_system.ts";

/**
 * The file system on disk. Writes are atomic and durable: a temporary file beside the target
 * is written, synced and renamed over it, then the folder is synced, so a crash leaves either
 * the old or the new content, never a mix. Locks are `flock`-style advisory locks, released by
 * the kernel if the process dies.
 */
export const realFileSystem: FileSystem = {
  async readFile(path) {
    try {
      return await Deno.readFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  },

  async lstat(path): Promise<FileInfo | undefined> {
    try {
      const info = await Deno.lstat(path);
      return { isFile: info.isFile, isSymlink: info.isSymlink, mode: info.mode };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  },

  async resolveTarget(path) {
    let current = path;
    for (let hops = 0; hops < 40; hops++) {
      let info: Deno.FileInfo;
      try {
        info = await Deno.lstat(current);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return current;
        throw error;
      }
      if (!info.isSymlink) return await Deno.realPath(current);
      const target = await Deno.readLink(current);
      current = target.startsWith("/") ? target : join(dirname(current), target);
    }
    throw new Error(`"${path}" is a symlink loop.`);
  },

  async listDir(path) {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(path)) names.push(entry.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return [];
      }
      throw error;
    }
    return names.sort();
  },

  async ensureDir(path, mode) {
    const missing: string[] = [];
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
      if (await Deno.lstat(dir).then(() => true, () => false)) break;
      missing.push(dir);
    }
    await Deno.mkdir(path, { recursive: true, mode });
    // As root (a system install), folders made in a user's home belong to that user.
    const owner = missing.length ? await ownerToKeep(dirname(missing.at(-1)!)) : undefined;
    if (owner) { for (const dir of missing) await Deno.chown(dir, owner.uid, owner.gid); }
  },

  async writeFileAtomic(path, data, mode) {
    const folder = dirname(path);
    const temporary = join(
      folder,
      `.${basename(path)}.beacon-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`,
    );
    const file = await Deno.open(temporary, { write: true, createNew: true, mode });
    try {
      let written = 0;
      while (written < data.length) written += await file.write(data.subarray(written));
      await file.sync();
    } catch (error) {
      file.close();
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
    file.close();
    try {
      await Deno.chmod(temporary, mode); // the umask may have narrowed the mode given to open
      // As root, a user's file stays theirs (a new one takes its folder's owner).
      const owner = await ownerToKeep(path) ?? await ownerToKeep(folder);
      if (owner) await Deno.chown(temporary, owner.uid, owner.gid);
      await Deno.rename(temporary, path);
    } catch (error) {
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
    await syncFolder(folder);
  },

  async removeFile(path) {
    try {
      await Deno.remove(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  },

  async lock(path): Promise<Lock> {
    await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
    await file.lock(true);
    return {
      async release() {
        await file.unlock().catch(() => {});
        file.close();
      },
    };
  },
};

/**
 * The owner a file written by root must keep: the existing path's, when that is not root. Not
 * root ourselves, or on a platform without owners: nothing to keep.
 */
async function ownerToKeep(path: string): Promise<{ uid: number; gid: number } | undefined> {
  if (Deno.build.os === "windows" || Deno.uid() !== 0) return undefined;
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info || info.uid === null || info.gid === null || info.uid === 0) return undefined;
  return { uid: info.uid, gid: info.gid };
}

async function syncFolder(folder: string): Promise<void> {
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(folder, { read: true });
    await handle.sync();
  } catch {
    // Some platforms cannot open or sync a folder; the rename itself is still atomic.
  } finally {
    handle?.close();
  }
}
