/**
 * The pid file of the collector started as a background process: the pid in decimal and a
 * newline, mode 0600, replaced atomically. A file that does not hold a plausible pid reads as
 * "no pid" rather than failing, so a damaged file never stops `stop` or `status`, and never
 * names pid 0, 1 or a negative number (signalling those would hit whole process groups).
 * Read and written through the caller's {@link ServiceFiles} (the System's file system).
 *
 * @module
 */
import { dirname } from "../../host/file_path.ts";
import type { ServiceFiles } from "./service_files.ts";

/** The pid recorded in `path`, or undefined when the file is missing or holds no valid pid. */
export async function readPidFile(files: ServiceFiles, path: string): Promise<number | undefined> {
  const text = await files.readText(path);
  if (text === undefined) return undefined;
  const match = /^\s*(\d{1,10})\s*$/.exec(text);
  const pid = match ? Number(match[1]) : NaN;
  return pid > 1 && pid <= 0x7fffffff ? pid : undefined;
}

/** Records `pid` in `path` (mode 0600, written atomically; the folder is created 0700). */
export async function writePidFile(files: ServiceFiles, path: string, pid: number): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 1) throw new RangeError(`Cannot record pid ${pid}.`);
  await files.ensureDir(dirname(path), 0o700);
  await files.writeFile(path, `${pid}\n`, 0o600);
}
