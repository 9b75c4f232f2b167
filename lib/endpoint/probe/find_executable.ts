/**
 * Finds a program on the `PATH` of a {@link Host}, the way a shell would, without running it.
 *
 * @module
 */

import { isAbsolute, join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";

/**
 * The first executable file called `name` in the folders of `host.env.PATH`, as the path found
 * there (symlinks are not resolved, as `command -v` prints them), or undefined when there is none.
 *
 * Empty and relative entries are skipped: a shell would read them as the current folder, and a
 * probe must not run whatever program happens to sit in the folder Beacon was started from.
 * Folders and files without an execute bit are skipped. On Windows the `PATHEXT` extensions are
 * tried. `name` must be a bare program name: one with a path separator gives undefined. Every
 * look at a file goes through `fs` (the System's).
 *
 * @example
 * ```ts
 * import { findExecutable } from "./find_executable.ts";
 * import { readHost } from "../../host/host.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 *
 * await findExecutable("codex", readHost(), realFileSystem); // "/usr/local/bin/codex", or undefined
 * ```
 */
export async function findExecutable(
  name: string,
  host: Host,
  fs: FileSystem,
): Promise<string | undefined> {
  const windows = host.os === "windows";
  if (name === "" || name.includes("/") || (windows && name.includes("\\"))) return undefined;
  const folders = (host.env.PATH ?? (windows ? host.env.Path : undefined) ?? "")
    .split(windows ? ";" : ":")
    .filter((folder) =>
      folder !== "" && (windows ? isWindowsAbsolute(folder) : isAbsolute(folder))
    );
  const candidates = windows ? windowsNames(name, host.env.PATHEXT) : [name];
  for (const folder of folders) {
    for (const candidate of candidates) {
      const file = windows ? windowsJoin(folder, candidate) : join(folder, candidate);
      if (await isExecutableFile(fs, file, windows)) return file;
    }
  }
  return undefined;
}

// Windows is not a platform Beacon ships for (its services are systemd and launchd), but the
// probe keeps working there; these two replace node:path's win32 for the only shapes a PATH
// lookup meets, so the bundle does not load Deno's Node layer for them.

/** `C:\bin`, `C:/bin`, `\\server\share` or `\bin`; not `C:bin` (relative to that drive's folder). */
function isWindowsAbsolute(folder: string): boolean {
  return /^(?:[A-Za-z]:)?[\\/]/.test(folder);
}

/** The file `name` in `folder`, with backslashes, as Windows prints it. */
function windowsJoin(folder: string, name: string): string {
  return `${folder.replace(/[\\/]+$/, "").replaceAll("/", "\\")}\\${name}`;
}

function windowsNames(name: string, pathExt: string | undefined): string[] {
  const extensions = (pathExt || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean);
  const hasExtension = extensions.some((ext) => name.toLowerCase().endsWith(ext.toLowerCase()));
  return hasExtension ? [name] : extensions.map((ext) => name + ext.toLowerCase());
}

async function isExecutableFile(fs: FileSystem, file: string, windows: boolean) {
  try {
    // What the path leads to: a dangling link resolves to a target that does not exist.
    const info = await fs.lstat(await fs.resolveTarget(file));
    if (!info?.isFile) return false;
    // Windows has no execute bit: the extension decides.
    return windows || info.mode === null || (info.mode & 0o111) !== 0;
  } catch {
    // Missing, a dangling link, or a folder we may not look into: not a candidate.
    return false;
  }
}
