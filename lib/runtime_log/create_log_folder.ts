/**
 * Creates the runtime log's folder (and any missing parents) with an exact mode, and checks that
 * nobody but the collector (and root) can change what is in it.
 *
 * @module
 */

import { dirname, isAbsolute, join, resolve, sep } from "../host/file_path.ts";
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
 * syncs each parent so the new entry survives a crash. Folders that already exist are not
 * loosened or tightened: the log may live in a shared folder. One is adjusted: a folder of the
 * collector's own that is exactly `dirMode` with the collector's group is given `gid` (a system
 * log folder an earlier install left root:root 0750, which the admins' group could not enter).
 *
 * Then every folder on the way (links followed) is checked: it must belong to the collector or
 * root, and nobody else may write to it (a folder writable by others is accepted only above the
 * log folder and only with the sticky bit, as `/tmp`). Otherwise anyone could plant a symlink or
 * a hard link where the collector, perhaps root, writes. A folder that fails is refused with an
 * error whose `code` is `EUNSAFE` and whose message names the folder and the fix. Throws the file
 * system's error otherwise (`NotADirectory` when a part of the path is a file).
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
  if (Deno.build.os === "windows") return;
  const final = await checkFolders(folder);
  const uid = Deno.uid(), ownGid = Deno.gid();
  if (
    gid !== undefined && final.info.uid === uid && final.info.gid === ownGid &&
    final.info.gid !== gid && (final.info.mode! & 0o7777) === dirMode
  ) {
    await Deno.chown(final.path, null, gid);
  }
}

/** An error for a log folder others could change; see {@link createLogFolder}. */
export function unsafeLogFolder(what: string, remedy: string): Error {
  return Object.assign(new Error(what), { code: "EUNSAFE", remedy });
}

/**
 * Walks `folder` from `/`, following links by hand so that every folder the path goes through is
 * seen, and checks each one; returns the log folder itself (its real path and facts).
 */
async function checkFolders(folder: string): Promise<{ path: string; info: Deno.FileInfo }> {
  const uid = Deno.uid(), ownGid = Deno.gid();
  const pending = resolve(folder).split(sep).filter(Boolean);
  let current: string = sep;
  let info = await Deno.stat(current);
  let links = 0;
  check(current, info, pending.length === 0);
  while (pending.length) {
    const name = pending.shift()!;
    if (name === ".") continue;
    if (name === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, name);
    const entry = await Deno.lstat(next);
    if (entry.isSymlink) {
      if (++links > 40) throw unsafeLogFolder(`"${folder}" is a symlink loop`, "Fix the links.");
      const target = await Deno.readLink(next);
      pending.unshift(...target.split(sep).filter(Boolean));
      if (isAbsolute(target)) current = sep;
      continue;
    }
    if (!entry.isDirectory) throw new Deno.errors.NotADirectory(`"${next}" is not a folder`);
    current = next;
    info = entry;
    check(current, info, pending.length === 0);
  }
  return { path: current, info };

  function check(path: string, info: Deno.FileInfo, isLogFolder: boolean): void {
    if (info.uid !== 0 && info.uid !== uid) {
      throw unsafeLogFolder(
        `the folder "${path}" belongs to uid ${info.uid}, who could replace what is in it`,
        `Keep the log in a folder of the collector's own (or root's), or run ` +
          `chown ${uid ?? 0} "${path}".`,
      );
    }
    const mode = info.mode! & 0o7777;
    const othersWrite = (mode & 0o002) !== 0;
    // A group-writable folder is fine when the group is the collector's own, or, above the log
    // folder, when root owns it (/var/log is root:syslog 0775 on Debian: the admin's choice).
    const groupWrite = (mode & 0o020) !== 0 && info.gid !== ownGid &&
      (isLogFolder || info.uid !== 0);
    const sticky = (mode & 0o1000) !== 0;
    if ((othersWrite || groupWrite) && (isLogFolder || !sticky)) {
      throw unsafeLogFolder(
        `others can write to the folder "${path}" (mode ${mode.toString(8).padStart(4, "0")}), ` +
          "so anyone could plant a link there that the collector would write through",
        `Run chmod go-w "${path}" and check that nothing was planted in it (ls -la), or keep ` +
          "the log in a folder of its own.",
      );
    }
  }
}
