/**
 * Finds a program on the `PATH` of a {@link Host}, the way a shell would, without running it.
 *
 * @module
 */

import { posix, win32 } from "node:path";
import type { Host } from "../../host/host.ts";

/**
 * The first executable file called `name` in the folders of `host.env.PATH`, as the path found
 * there (symlinks are not resolved, as `command -v` prints them), or undefined when there is none.
 *
 * Empty and relative entries are skipped: a shell would read them as the current folder, and a
 * probe must not run whatever program happens to sit in the folder Beacon was started from.
 * Folders and files without an execute bit are skipped. On Windows the `PATHEXT` extensions are
 * tried. `name` must be a bare program name: one with a path separator gives undefined.
 *
 * @example
 * ```ts
 * import { findExecutable } from "./find_executable.ts";
 * import { readHost } from "../../host/host.ts";
 *
 * await findExecutable("codex", readHost()); // "/usr/local/bin/codex", or undefined
 * ```
 */
export async function findExecutable(name: string, host: Host): Promise<string | undefined> {
  const windows = host.os === "windows";
  if (name === "" || name.includes("/") || (windows && name.includes("\\"))) return undefined;
  const path = windows ? win32 : posix;
  const folders = (host.env.PATH ?? (windows ? host.env.Path : undefined) ?? "")
    .split(windows ? ";" : ":")
    .filter((folder) => folder !== "" && path.isAbsolute(folder));
  const candidates = windows ? windowsNames(name, host.env.PATHEXT) : [name];
  for (const folder of folders) {
    for (const candidate of candidates) {
      const file = path.join(folder, candidate);
      if (await isExecutableFile(file, windows)) return file;
    }
  }
  return undefined;
}

function windowsNames(name: string, pathExt: string | undefined): string[] {
  const extensions = (pathExt || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean);
  const hasExtension = extensions.some((ext) => name.toLowerCase().endsWith(ext.toLowerCase()));
  return hasExtension ? [name] : extensions.map((ext) => name + ext.toLowerCase());
}

async function isExecutableFile(file: string, windows: boolean): Promise<boolean> {
  try {
    const info = await Deno.stat(file);
    if (!info.isFile) return false;
    // Windows has no execute bit: the extension decides.
    return windows || info.mode === null || (info.mode & 0o111) !== 0;
  } catch {
    // Missing, a dangling link, or a folder we may not look into: not a candidate.
    return false;
  }
}
