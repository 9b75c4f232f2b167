import { dirname, isAbsolute, join, resolve, sep } from "../host/file_path.ts";
import { ConfigNotWritableError } from "./config_errors.ts";

/** The user root acts for: the owner of the first part of a path that is not root's. */
export interface PathUser {
  uid: number;
  gid: number;
  /** The folder or link that made the path theirs (named in errors). */
  from: string;
}

/** What the caller is about to do at the path. */
export interface PathUse {
  /** Follow a symlink at the last part (read, resolve) rather than replace or remove it. */
  followLast: boolean;
  /** Missing parts will be created (folders, then a file). */
  create: boolean;
}

/**
 * Root acting in a user's folders does only what that user could: before root reads, writes,
 * creates or removes `path`, this walks it from `/`, following links by hand, and finds the user
 * (the owner of the first part that is not root's, e.g. their home). From there on, a symlink
 * must be the user's (or root's), the folder where something is written and the file itself
 * must belong to the user, a link must not lead into someone else's files, and nothing is
 * created through a link (a dangling one would make root create folders and a file wherever it
 * points). Throws {@link ConfigNotWritableError} saying which part and why; returns the user
 * (undefined when no part of the path is anyone's but root's, or when not root).
 *
 * @example
 * ```ts
 * import { checkPathForUser } from "./check_path_for_user.ts";
 *
 * // As root, ~alice/.codex/config.toml -> /etc/shadow:
 * await checkPathForUser("/home/alice/.codex/config.toml", { followLast: true, create: false });
 * // throws: Cannot update "/home/alice/.codex/config.toml": it leads (through a symlink) to
 * // "/etc/shadow", which belongs to uid 0, not to uid 1000 who owns "/home/alice" ...
 * ```
 */
export async function checkPathForUser(path: string, use: PathUse): Promise<PathUser | undefined> {
  if (Deno.build.os === "windows" || Deno.uid() !== 0) return undefined;
  const pending = resolve(path).split(sep).filter(Boolean);
  let current: string = sep;
  let user: PathUser | undefined;
  let followed: string | undefined; // the user's link the walk went through
  let hops = 0;
  const refuse = (reason: string): never => {
    throw new ConfigNotWritableError(
      path,
      `${reason}. Beacon runs as root here and does nothing in a user's files that the user ` +
        `could not do (uid ${user!.uid} owns "${user!.from}")`,
    );
  };
  const mustBeTheUsers = (part: string, info: Deno.FileInfo) => {
    if (user && info.uid !== user.uid) {
      refuse(
        (followed ? `it leads through the symlink "${followed}" to "${part}"` : `"${part}"`) +
          `, which belongs to uid ${info.uid}, not to uid ${user.uid}`,
      );
    }
  };
  while (pending.length) {
    const name = pending.shift()!;
    if (name === ".") continue;
    if (name === "..") {
      current = dirname(current);
      continue;
    }
    const next = join(current, name);
    const last = pending.length === 0;
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(next);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      if (user && followed && use.create) {
        refuse(
          `it is a symlink ("${followed}") to "${join(next, ...pending)}", which does not exist; ` +
            "nothing is created through a link",
        );
      }
      // What is missing is made in (or, for a file, beside a temporary file in) this folder.
      if (user) mustBeTheUsers(current, await Deno.stat(current));
      return user;
    }
    if (info.isSymlink && !(last && !use.followLast)) {
      if (!user && info.uid !== 0) user = { uid: info.uid!, gid: info.gid!, from: next };
      if (user && info.uid !== 0 && info.uid !== user.uid) mustBeTheUsers(next, info);
      if (user) followed ??= next;
      if (++hops > 40) refuse(`"${path}" is a symlink loop`);
      const target = await Deno.readLink(next);
      pending.unshift(...target.split(sep).filter(Boolean));
      if (isAbsolute(target)) current = sep;
      continue;
    }
    if (!user && info.uid !== 0) {
      user = { uid: info.uid!, gid: info.gid!, from: next };
    } else if (user && info.uid !== 0 && info.uid !== user.uid) {
      mustBeTheUsers(next, info); // another user's folder: they could swap what is below it
    }
    if (last) {
      // The folder that receives the file (or a temporary file beside it), and the file itself.
      if (user) mustBeTheUsers(current, await Deno.stat(current));
      if (!info.isSymlink) mustBeTheUsers(next, info);
    }
    current = next;
  }
  return user;
}
