import { dirname } from "../host/file_path.ts";
import type { FileSystem } from "./file_system.ts";

/** A file system that remembers how to undo every change made through it. */
export interface JournalingFileSystem extends FileSystem {
  /** Puts back, newest first, every file and folder as it was before the first change. */
  rollback(): Promise<string[]>;
  /** How many changes would be undone. */
  readonly changes: number;
}

type Undo = { describe: string; run: () => Promise<void> };

/** Undoes the creation of `dir`: it did not exist before, so nothing in it predates the change. */
function removeCreatedFolder(fs: FileSystem, dir: string): Undo {
  return { describe: dir, run: () => fs.removeDir(dir, { recursive: true }).then(() => {}) };
}

/**
 * Wraps `fs` so that a multi-step change (an endpoint install: Codex config, state, endpoint
 * configuration, service files) can be undone as a whole when a later step fails. Each write
 * or removal first records the previous bytes and mode of the file (or that it did not exist);
 * each folder created is recorded and removed again, with whatever appeared in it meanwhile.
 */
export function journalingFileSystem(fs: FileSystem): JournalingFileSystem {
  const undo: Undo[] = [];
  const seen = new Set<string>();
  const remember = async (path: string) => {
    if (seen.has(path)) return; // only the state before the first change matters
    seen.add(path);
    const before = await fs.readFile(path);
    const mode = (await fs.lstat(path))?.mode ?? 0o600;
    undo.push({
      describe: path,
      run: before === undefined
        ? () => fs.removeFile(path)
        : () => fs.writeFileAtomic(path, before, mode & 0o7777),
    });
  };
  const missingFolders = async (path: string): Promise<string[]> => {
    const missing: string[] = [];
    for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
      if (await fs.lstat(dir)) break;
      missing.push(dir);
    }
    return missing;
  };
  return {
    ...fs,
    get changes() {
      return undo.length;
    },
    async ensureDir(path, mode) {
      const created = await missingFolders(path);
      await fs.ensureDir(path, mode);
      // Undone last-in first-out: the deepest folder goes first. A folder this change created
      // is removed with whatever appeared in it since (a collector started by the install
      // writes its output and an empty runtime log there before a later step fails).
      for (const dir of created.reverse()) undo.push(removeCreatedFolder(fs, dir));
    },
    async writeFileAtomic(path, data, mode) {
      for (const dir of (await missingFolders(dirname(path))).reverse()) {
        undo.push(removeCreatedFolder(fs, dir));
      }
      await remember(path);
      await fs.writeFileAtomic(path, data, mode);
    },
    async appendFile(path, data, mode) {
      await remember(path);
      await fs.appendFile(path, data, mode);
    },
    async makeTempDir(parent, prefix) {
      const created = await fs.makeTempDir(parent, prefix);
      undo.push(removeCreatedFolder(fs, created));
      return created;
    },
    async removeFile(path) {
      await remember(path);
      await fs.removeFile(path);
    },
    // Only an empty folder goes (nothing to put back but the folder) unless recursive, which a
    // journal cannot undo: refused.
    async removeDir(path, options) {
      if (options.recursive) {
        throw new Error(`Cannot remove "${path}" with its content inside an undoable change.`);
      }
      const mode = ((await fs.lstat(path))?.mode ?? 0o700) & 0o7777;
      const removed = await fs.removeDir(path, options);
      if (removed) undo.push({ describe: path, run: () => fs.ensureDir(path, mode) });
      return removed;
    },
    async rollback() {
      const done: string[] = [];
      while (undo.length) {
        const step = undo.pop()!;
        await step.run();
        done.push(step.describe);
      }
      seen.clear();
      return done;
    },
  };
}
