/**
 * Every side effect of reconcile goes through this interface, so planning, dry runs and
 * failure-injection tests share the code path of a real apply. {@link realFileSystem} is the
 * implementation on disk.
 *
 * @module
 */

/** What reconcile needs to know about an existing file. */
export interface FileInfo {
  isFile: boolean;
  isSymlink: boolean;
  /** Permission bits (e.g. 0o600), or null where the platform has none. */
  mode: number | null;
  /** Its size in bytes, where the implementation knows it (the disk's does). */
  size?: number;
  /** Its inode number, where the implementation knows it: tells a replaced file from a grown one. */
  fileId?: number;
}

/** A held lock; release it when done (also released if the process dies). */
export interface Lock {
  release(): Promise<void>;
}

/** The file operations reconcile performs. */
export interface FileSystem {
  /** The file's bytes, or undefined when it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Facts about a path without following a final symlink, or undefined when absent. */
  lstat(path: string): Promise<FileInfo | undefined>;
  /** The path with every symlink resolved; for a dangling link, the link's target. */
  resolveTarget(path: string): Promise<string>;
  /** Names in a folder (empty when it does not exist). */
  listDir(path: string): Promise<string[]>;
  /** Creates the folder and its parents with `mode` if missing. */
  ensureDir(path: string, mode: number): Promise<void>;
  /**
   * Replaces the file atomically: a temporary file in the same folder, written, synced, given
   * `mode`, renamed over the target, and the folder synced.
   */
  writeFileAtomic(path: string, data: Uint8Array, mode: number): Promise<void>;
  /**
   * Appends `data` to the file in one write, creating it with `mode` when missing (a file the
   * CI system hands over, such as `$GITHUB_OUTPUT`). Not atomic: it is the file's owner's log.
   */
  appendFile(path: string, data: Uint8Array, mode: number): Promise<void>;
  /**
   * Creates a new, empty folder with a unique name starting with `prefix` in `parent` (mode 0700)
   * and returns its path; never one that existed.
   */
  makeTempDir(parent: string, prefix: string): Promise<string>;
  /** Removes a file; no error when it is already gone. Refuses a folder (throws). */
  removeFile(path: string): Promise<void>;
  /**
   * Removes a folder: only when it is empty, or with everything in it when `recursive`. True
   * when it was removed; false when it is not empty or already gone.
   */
  removeDir(path: string, options: { recursive: boolean }): Promise<boolean>;
  /** Takes an exclusive lock on `path` (created if needed), waiting for other holders. */
  lock(path: string): Promise<Lock>;
}
