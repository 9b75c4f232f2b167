import { dirname } from "../host/file_path.ts";
import type { FileSystem } from "./file_system.ts";
import { isSettingsStep, type Plan, type PlanStep, type SettingsStep } from "./plan.ts";
import type { ServiceChange, ServiceController } from "../endpoint/service/service_controller.ts";
import type { OwnershipState } from "./ownership_store.ts";
import { writeOwnershipState } from "./ownership_store.ts";
import { decodeConfigText } from "./decode_config_text.ts";
import { ConfigNotWritableError, StalePlanError } from "./config_errors.ts";
import { sha256Hex } from "../content/sha256_hex.ts";
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

/** One thing applying did, for progress lines (`created ...`, `wrote ...`, `start`). */
export interface AppliedEvent {
  step: PlanStep;
  detail: string;
  /** For the service step: the change made. */
  serviceChange?: ServiceChange;
}

/**
 * Applies a plan, step by step in its order. Settings steps: checks the file still has the
 * content it was planned from (otherwise {@link StalePlanError} and nothing more is written),
 * keeps a backup of the previous content, writes the new content atomically with the file's
 * own permissions, then records what Beacon now owns (once the settings steps are done). Folder
 * and file steps are created and written through `fs`; the service step is installed through
 * `service`. The caller holds the apply lock. Returns what happened to each settings step.
 *
 * A crash between the config write and the state write leaves the new config with the old
 * ownership record; the next plan then sees Beacon's values as already in place.
 */
export async function applyPlan(input: {
  plan: Plan;
  fs: FileSystem;
  ownership: OwnershipState;
  statePath: string;
  /** Drives the plan's service step; required when the plan has one. */
  service?: ServiceController;
  /** Called before each step is applied (e.g. to name the step an error happened in). */
  onStart?: (step: PlanStep) => void | Promise<void>;
  /** Called for each thing done. */
  onApplied?: (event: AppliedEvent) => void;
}): Promise<AppliedStep[]> {
  const { plan, fs } = input;
  const state: OwnershipState = { formatVersion: 1, files: { ...input.ownership.files } };
  const applied: AppliedStep[] = [];
  let statePending = false;
  const writeState = async () => {
    if (!statePending) return;
    statePending = false;
    if (stringifyTomlJson(state.files) !== stringifyTomlJson(input.ownership.files)) {
      await writeOwnershipState(fs, input.statePath, state);
    }
  };
  for (const step of plan.steps) {
    if (!isSettingsStep(step)) await writeState();
    await input.onStart?.(step);
    switch (step.kind) {
      case "toml-settings":
      case "json-settings": {
        const result = await applySettingsStep(fs, step);
        applied.push(result);
        recordOwnership(state, step, result);
        statePending = true;
        if (result.written) {
          input.onApplied?.({
            step,
            detail: `updated ${result.path}` + (result.backup ? ` (backup ${result.backup})` : ""),
          });
        }
        break;
      }
      case "folder":
        if (step.remove) {
          if (step.exists && await fs.removeDir(step.path, { recursive: false })) {
            input.onApplied?.({ step, detail: `removed ${step.path}/` });
          }
          break;
        }
        if (step.exists) break;
        await fs.ensureDir(step.path, step.mode);
        input.onApplied?.({ step, detail: `created ${step.path} (${step.purpose})` });
        break;
      case "file":
        if (step.action === "none") break;
        if (step.action === "delete") {
          if (await removeRegularFile(fs, step.path)) {
            input.onApplied?.({ step, detail: `removed ${step.path} (${step.purpose})` });
          }
          break;
        }
        await fs.writeFileAtomic(step.path, new TextEncoder().encode(step.after), step.mode);
        input.onApplied?.({ step, detail: `wrote ${step.path}` });
        break;
      case "service":
      case "service-removal": {
        if (!input.service) {
          throw new Error("Cannot apply the collector service step: no service controller given.");
        }
        const changes = step.kind === "service"
          ? await input.service.install(step.spec, { restart: step.restart })
          : await input.service.uninstall();
        for (const change of changes) {
          input.onApplied?.({ step, detail: change.kind, serviceChange: change });
        }
        break;
      }
    }
  }
  await writeState();
  return applied;
}

/**
 * Removes `path` if it is still a regular file (what a `delete` step was planned for). Gone
 * already: false. Anything else now (a folder, a link): refused, nothing removed.
 */
async function removeRegularFile(fs: FileSystem, path: string): Promise<boolean> {
  const info = await fs.lstat(path);
  if (!info) return false;
  if (!info.isFile || info.isSymlink) {
    throw new Error(
      `Cannot remove "${path}": it is no longer the file Beacon planned to remove (it is now a ` +
        `${info.isSymlink ? "link" : "folder or special file"}), so it was left alone. Look at ` +
        "it, then run the command again.",
    );
  }
  await fs.removeFile(path);
  return true;
}

function recordOwnership(state: OwnershipState, step: SettingsStep, result: AppliedStep): void {
  if (!Object.keys(step.owned).length) {
    delete state.files[step.realPath];
    return;
  }
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
}

async function applySettingsStep(fs: FileSystem, step: SettingsStep): Promise<AppliedStep> {
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
