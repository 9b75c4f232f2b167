import { concatBytes } from "../bytes/concat_bytes.ts";
import { basename, dirname, join } from "../host/file_path.ts";
import type { FileInfo, FileSystem, Lock } from "./file_system.ts";
import { checkPathForUser } from "./check_path_for_user.ts";

/**
 * The file system on disk. Writes are atomic and durable: a temporary file beside the target
 * is written, synced and renamed over it, then the folder is synced, so a crash leaves either
 * the old or the new content, never a mix. Locks are `flock`-style advisory locks, released by
 * the kernel if the process dies.
 *
 * As root in a user's folders (a system install editing the console user's Codex config), every
 * call first checks the path with `checkPathForUser`: root follows no link to a file the user does
 * not own and creates nothing through a link, and what it creates there is the user's. Files and
 * folders are created with `O_EXCL`/`mkdir` (never through a link at their name) and given their
 * owner and mode on the open descriptor, not by path. Those calls need `node:fs` (Deno's `open`
 * has no `O_NOFOLLOW`), loaded on the first write: a process that only reads (the collector)
 * never initialises Deno's Node layer for it.
 */
export const realFileSystem: FileSystem = {
  async readFile(path) {
    try {
      const user = await checkPathForUser(path, { followLast: true, create: false });
      if (!user) return await Deno.readFile(path);
      // The check walked the path; the file actually opened must still be the user's.
      const file = await Deno.open(path, { read: true });
      try {
        const info = await file.stat();
        if (info.uid !== user.uid) {
          throw new Deno.errors.PermissionDenied(
            `"${path}" belongs to uid ${info.uid}, not to uid ${user.uid} who owns "${user.from}"`,
          );
        }
        const chunks: Uint8Array[] = [];
        const buffer = new Uint8Array(64 * 1024);
        for (let read; (read = await file.read(buffer)) !== null;) {
          chunks.push(buffer.slice(0, read));
        }
        return concatBytes(chunks);
      } finally {
        file.close();
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  },

  async lstat(path): Promise<FileInfo | undefined> {
    try {
      const info = await Deno.lstat(path);
      return {
        isFile: info.isFile,
        isSymlink: info.isSymlink,
        mode: info.mode,
        size: info.size,
        ...(info.ino !== null ? { fileId: info.ino } : {}),
      };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  },

  async resolveTarget(path) {
    await checkPathForUser(path, { followLast: true, create: true });
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
    const user = await checkPathForUser(path, { followLast: true, create: true });
    if (!user) {
      await Deno.mkdir(path, { recursive: true, mode });
      return;
    }
    const missing: string[] = [];
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
      if (await Deno.lstat(dir).then(() => true, () => false)) break;
      missing.unshift(dir);
    }
    // One at a time: mkdir never follows a link at its name; owner and mode set on the folder
    // opened without following a link, so one swapped in meanwhile is never chowned.
    const { closeSync, constants: fsConstants, fchmodSync, fchownSync, mkdirSync, openSync } =
      await nodeFs();
    for (const dir of missing) {
      mkdirSync(dir, { mode });
      const fd = openSync(
        dir,
        fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW,
      );
      try {
        fchmodSync(fd, mode);
        fchownSync(fd, user.uid, user.gid);
      } finally {
        closeSync(fd);
      }
    }
  },

  async writeFileAtomic(path, data, mode) {
    const folder = dirname(path);
    const user = await checkPathForUser(path, { followLast: false, create: false });
    const temporary = join(
      folder,
      `.${basename(path)}.beacon-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}.tmp`,
    );
    // As root in a user's folder, the file is the user's (keeping its group if it was theirs).
    const existing = user ? await Deno.lstat(path).catch(() => undefined) : undefined;
    const owner = user && {
      uid: user.uid,
      gid: existing?.isFile && existing.uid === user.uid ? existing.gid! : user.gid,
    };
    const {
      closeSync,
      constants: fsConstants,
      fchmodSync,
      fchownSync,
      fstatSync,
      fsyncSync,
      openSync,
      writeSync,
    } = await nodeFs();
    const fd = openSync(
      temporary,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW,
      mode,
    );
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
      fsyncSync(fd);
      if (Deno.build.os !== "windows") fchmodSync(fd, mode); // the umask may have narrowed it
      if (owner) fchownSync(fd, owner.uid, owner.gid);
      if (user && fstatSync(fd).nlink !== 1) throw new Error(`"${temporary}" was tampered with`);
    } catch (error) {
      closeSync(fd);
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
    closeSync(fd);
    try {
      await Deno.rename(temporary, path);
    } catch (error) {
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
    await syncFolder(folder);
  },

  async appendFile(path, data, mode) {
    await checkPathForUser(path, { followLast: true, create: true });
    await Deno.writeFile(path, data, { append: true, create: true, mode });
  },

  async makeTempDir(parent, prefix) {
    await checkPathForUser(parent, { followLast: true, create: true });
    return await Deno.makeTempDir({ dir: parent, prefix });
  },

  async removeFile(path) {
    await checkPathForUser(path, { followLast: false, create: false });
    // Deno.remove would take an empty folder too: a folder is never the file asked for.
    if ((await Deno.lstat(path).catch(() => undefined))?.isDirectory) {
      throw new Error(`Cannot remove "${path}": it is a folder, not a file. Nothing was removed.`);
    }
    try {
      await Deno.remove(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  },

  async removeDir(path, options) {
    await checkPathForUser(path, { followLast: false, create: false });
    try {
      await Deno.remove(path, { recursive: options.recursive });
      return true;
    } catch {
      // not empty, or already gone: leave it
      return false;
    }
  },

  async lock(path): Promise<Lock> {
    await realFileSystem.ensureDir(dirname(path), 0o700);
    const user = await checkPathForUser(path, { followLast: false, create: true });
    // Created (or found) without following a link at its name, then opened by Deno (for flock)
    // and proven to be the same file.
    const { closeSync, constants: fsConstants, fchownSync, fstatSync, openSync } = await nodeFs();
    const fd = openSync(
      path,
      fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_NOFOLLOW,
      0o600,
    );
    let file: Deno.FsFile;
    try {
      const pinned = fstatSync(fd);
      if (user && pinned.uid === 0) fchownSync(fd, user.uid, user.gid);
      file = await Deno.open(path, { read: true, write: true });
      const opened = await file.stat();
      if (opened.dev !== pinned.dev || opened.ino !== pinned.ino) {
        file.close();
        throw new Error(`"${path}" was replaced while it was being opened; try again.`);
      }
    } finally {
      closeSync(fd);
    }
    await file.lock(true);
    return {
      async release() {
        await file.unlock().catch(() => {});
        file.close();
      },
    };
  },
};

let nodeFsModule: Promise<typeof import("node:fs")> | undefined;

/** `node:fs`, loaded on first use. */
function nodeFs(): Promise<typeof import("node:fs")> {
  return nodeFsModule ??= import("node:fs");
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
