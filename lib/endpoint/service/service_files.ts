import type { FileSystem } from "../../reconcile/file_system.ts";

/**
 * The file operations the service controllers perform on unit files, plists and folders. The
 * caller passes its own, so installs can be journaled and rolled back, or run dry.
 */
export interface ServiceFiles {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Replaces the file with `text` and permission bits `mode`; its folder exists. */
  writeFile(path: string, text: string, mode: number): Promise<void>;
  /** Removes a file; no error when it is already gone. */
  removeFile(path: string): Promise<void>;
  /** Creates the folder and its parents with `mode` if missing. */
  ensureDir(path: string, mode: number): Promise<void>;
}

/**
 * {@link ServiceFiles} on top of reconcile's {@link FileSystem}: atomic writes, and the same
 * code path for dry runs and journaling file systems.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serviceFilesOn } from "./service_files.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 * const files = serviceFilesOn(realFileSystem);
 * assert.ok(await files.readText("/nonexistent/beacon") === undefined);
 * ```
 */
export function serviceFilesOn(fs: FileSystem): ServiceFiles {
  return {
    async readText(path) {
      const bytes = await fs.readFile(path);
      return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
    },
    writeFile: (path, text, mode) => fs.writeFileAtomic(path, new TextEncoder().encode(text), mode),
    removeFile: (path) => fs.removeFile(path),
    ensureDir: (path, mode) => fs.ensureDir(path, mode),
  };
}
