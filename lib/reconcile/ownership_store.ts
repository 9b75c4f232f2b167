import { dirname } from "../host/file_path.ts";
import type { FileSystem } from "./file_system.ts";
import type { Ownership } from "./diff_managed_settings.ts";
import { parseTomlJson, stringifyTomlJson } from "../toml/toml_json.ts";

/** Beacon's memory of what it wrote: file (real path) -> ownership of its managed keys. */
export interface OwnershipState {
  formatVersion: 1;
  files: Record<string, Ownership>;
}

/** The state file is not what Beacon writes: it is never overwritten, so nothing is lost. */
export class OwnershipStateError extends Error {
  constructor(readonly path: string, detail: string) {
    super(
      `Cannot read Beacon's state file "${path}": ${detail}. Beacon left it untouched. ` +
        `Move it aside to start over (Beacon then treats values it finds as the user's own).`,
    );
    this.name = "OwnershipStateError";
  }
}

/** Reads the state file; a missing file is an empty state. */
export async function readOwnershipState(fs: FileSystem, path: string): Promise<OwnershipState> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    // A folder in its place, no permission, an I/O error: say which file, not a stack trace.
    throw new OwnershipStateError(path, `it cannot be read (${(error as Error).message})`);
  }
  if (!bytes) return { formatVersion: 1, files: {} };
  let parsed: unknown;
  try {
    parsed = parseTomlJson(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new OwnershipStateError(path, `not valid JSON (${(error as Error).message})`);
  }
  const state = parsed as Partial<OwnershipState>;
  if (
    typeof state !== "object" || state === null || state.formatVersion !== 1 ||
    typeof state.files !== "object" || state.files === null
  ) {
    throw new OwnershipStateError(
      path,
      "not a state file of this Beacon version (formatVersion 1)",
    );
  }
  return { formatVersion: 1, files: state.files };
}

/** Writes the state file atomically, readable by its owner only. */
export async function writeOwnershipState(
  fs: FileSystem,
  path: string,
  state: OwnershipState,
): Promise<void> {
  await fs.ensureDir(dirname(path), 0o700);
  const text = stringifyTomlJson(state, 2) + "\n";
  await fs.writeFileAtomic(path, new TextEncoder().encode(text), 0o600);
}
