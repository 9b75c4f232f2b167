/**
 * What planning Beacon's settings in one config file does whatever the file's format: read it
 * (through a symlink to the file it points at), refuse a file that is not a regular one or is
 * read-only, diff and try the edits in memory, and the plan step's fields that record ownership
 * and what to give back.
 *
 * @module
 */

import type { FileInfo, FileSystem } from "./file_system.ts";
import {
  type DesiredSetting,
  diffManagedSettings,
  type Ownership,
  type SettingsDiff,
} from "./diff_managed_settings.ts";
import { ConfigNotWritableError } from "./config_errors.ts";
import { sha256Hex } from "../content/sha256_hex.ts";

/** A config file as read for planning: where it really is, its info, its bytes (none: absent). */
export interface ManagedConfigFile {
  realPath: string;
  target: FileInfo | undefined;
  bytes: Uint8Array | undefined;
}

/** Reads `path` for planning; throws ConfigNotWritableError for anything but a regular file. */
export async function readManagedConfig(fs: FileSystem, path: string): Promise<ManagedConfigFile> {
  const info = await fs.lstat(path);
  const realPath = info?.isSymlink ? await fs.resolveTarget(path) : path;
  const target = realPath === path ? info : await fs.lstat(realPath);
  if (target && !target.isFile) {
    throw new ConfigNotWritableError(path, "it is not a regular file");
  }
  return { realPath, target, bytes: await fs.readFile(realPath) };
}

/** Refuses to plan edits to a file its owner made read-only (Beacon respects that). */
export function refuseReadOnlyConfig(path: string, target: FileInfo | undefined): void {
  const mode = target?.mode;
  if (mode != null && (mode & 0o200) === 0) {
    throw new ConfigNotWritableError(
      path,
      `it is read-only (mode ${(mode & 0o777).toString(8).padStart(4, "0")}), which Beacon ` +
        `respects. Make it writable (chmod u+w) if Beacon should manage it`,
    );
  }
}

/**
 * Compares the desired settings with the file's values (`current`, parsed from `text`) and
 * Beacon's ownership record; when something must change, refuses a read-only file and tries
 * the edits in memory with the format's `edit`, so a plan that cannot be applied fails here,
 * not half-way through apply (an `editError` becomes ConfigNotWritableError).
 */
export function diffManagedConfig(input: {
  path: string;
  file: ManagedConfigFile;
  text: string;
  current: Parameters<typeof diffManagedSettings>[0]["current"];
  desired: DesiredSetting[];
  ownership: Record<string, Ownership>;
  takeOver: boolean;
  release?: boolean;
  edit: (text: string, edits: SettingsDiff["edits"]) => unknown;
  editError: abstract new (...args: never[]) => Error;
}): SettingsDiff {
  const { path, file } = input;
  const diff = diffManagedSettings({
    target: path,
    current: input.current,
    desired: input.desired,
    ownership: input.ownership[file.realPath],
    takeOver: input.takeOver,
    repairDrift: !input.release,
  });
  if (diff.edits.length) {
    refuseReadOnlyConfig(path, file.target);
    try {
      input.edit(input.text, diff.edits);
    } catch (error) {
      if (!(error instanceof input.editError)) throw error;
      throw new ConfigNotWritableError(path, `Beacon cannot edit it safely: ${error.message}`);
    }
  }
  return diff;
}

/**
 * The fields every settings step carries after its kind, harness and path: the fingerprint of
 * what was read, the edits and their report, what Beacon will own, the original text to keep
 * (the first time Beacon touches the file) and, when giving a file back that nobody changed
 * since Beacon wrote it, the exact text to restore.
 */
export function settingsStepRecord(input: {
  file: ManagedConfigFile;
  text: string;
  diff: SettingsDiff;
  ownership: Record<string, Ownership>;
  release?: boolean;
  createMode: number;
}) {
  const { file, text, diff, release } = input;
  const previous = input.ownership[file.realPath];
  const fingerprint = file.bytes ? sha256Hex(file.bytes) : null;
  const restoreText = release && previous?.original &&
      previous.original.writtenSha256 === fingerprint && diff.edits.length
    ? previous.original.text
    : undefined;
  return {
    realPath: file.realPath,
    fingerprint,
    createMode: input.createMode,
    edits: diff.edits,
    changes: diff.changes,
    conflicts: diff.conflicts,
    owned: release ? {} : diff.ownership.written,
    originals: release ? {} : diff.ownership.originals,
    ...(release || previous?.original ? {} : { originalText: file.bytes ? text : null }),
    ...(restoreText !== undefined ? { restoreText } : {}),
  };
}
