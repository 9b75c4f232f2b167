import { dirname } from "node:path";
import type { FileSystem } from "./file_system.ts";
import type { Plan, PlanStep } from "./plan.ts";
import type { OwnershipState } from "./ownership_store.ts";
import { writeOwnershipState } from "./ownership_store.ts";
import { decodeConfigText } from "./decode_config_text.ts";
import { ConfigNotWritableError, StalePlanError } from "./config_errors.ts";
import { sha256Hex } from "./sha256_hex.ts";
import { editToml } from "../toml/edit_toml.ts";
import { editJson } from "../json/edit_json.ts";
import { stringifyTomlJson } from "../toml/toml_json.ts";

/** Suffix of the copy of a config file's previous content, kept beside it. */
export const BACKUP_SUFFIX = ".beacon.bak";

/** What applying did to one file. */
export interface AppliedStep {
  path: string;
  written: boolean;
  backup?: string;
  /** SHA-256 of the file as it is now (after the write), or undefined if it does not exist. */
  sha256?: string;
}

/**
 * Applies a plan: for each step, checks the file still has the content it was planned from
 * (otherwise {@link StalePlanError} and nothing more is written), keeps a backup of the previous
 * content, writes the new content atomically with the file's own permissions, then records
 * what Beacon now owns. The caller holds the apply lock.
 *
 * A crash between the config write and the state write leaves the new config with the old
 * ownership record; the next plan then sees Beacon's values as already in place.
 */
export async function applyPlan(input: {
  plan: Plan;
  fs: FileSystem;
  ownership: OwnershipState;
  statePath: string;
}): Promise<AppliedStep[]> {
  const { plan, fs } = input;
  const state: OwnershipState = { formatVersion: 1, files: { ...input.ownership.files } };
  const applied: AppliedStep[] = [];
  for (const step of plan.steps) {
    const result = await applySettingsStep(fs, step);
    applied.push(result);
    if (Object.keys(step.owned).length) {
      const previous = state.files[step.realPath]?.original;
      const originalText = previous ? previous.text : step.originalText;
      state.files[step.realPath] = {
        written: step.owned,
        originals: step.originals,
        ...(originalText !== undefined && result.sha256
          ? { original: { text: originalText, writtenSha256: result.sha256 } }
          : previous
          ? { original: previous }
          : {}),
      };
    } else {
      delete state.files[step.realPath];
    }
  }
  if (stringifyTomlJson(state.files) !== stringifyTomlJson(input.ownership.files)) {
    await writeOwnershipState(fs, input.statePath, state);
  }
  return applied;
}

async function applySettingsStep(fs: FileSystem, step: PlanStep): Promise<AppliedStep> {
  const bytes = await fs.readFile(step.realPath);
  const fingerprint = bytes ? sha256Hex(bytes) : null;
  if (fingerprint !== step.fingerprint) throw new StalePlanError(step.path);
  const unchanged = { path: step.path, written: false, sha256: fingerprint ?? undefined };
  if (!step.edits.length) return unchanged;
  if (step.restoreText === null) {
    // The file did not exist before Beacon created it, and nobody changed it since.
    await fs.removeFile(step.realPath);
    return { path: step.path, written: true };
  }

  const text = bytes ? decodeConfigText(bytes, step.path) : "";
  const updated = new TextEncoder().encode(
    step.restoreText !== undefined
      ? step.restoreText
      : step.kind === "json-settings"
      ? editJson(text, step.edits)
      : editToml(text, step.edits),
  );
  if (bytes && sha256Hex(updated) === fingerprint) return unchanged;

  const info = await fs.lstat(step.realPath);
  const mode = info?.mode != null ? info.mode & 0o7777 : step.createMode;
  try {
    // A file others must read (mode 0644) needs a folder they can enter.
    await fs.ensureDir(dirname(step.realPath), step.createMode & 0o044 ? 0o755 : 0o700);
    let backup: string | undefined;
    if (bytes) {
      backup = step.realPath + BACKUP_SUFFIX;
      await fs.writeFileAtomic(backup, bytes, 0o600);
    }
    // Last look: an editor may have saved the file while Beacon was working.
    const now = await fs.readFile(step.realPath);
    if ((now ? sha256Hex(now) : null) !== fingerprint) throw new StalePlanError(step.path);
    await fs.writeFileAtomic(step.realPath, updated, mode);
    return { path: step.path, written: true, backup, sha256: sha256Hex(updated) };
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new ConfigNotWritableError(step.path, `permission denied (${error.message})`);
    }
    throw error;
  }
}
