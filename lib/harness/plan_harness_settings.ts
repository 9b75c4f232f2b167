/**
 * The plan of one harness's settings file, whatever its format: the policy's values while the
 * harness is enabled, and the give-back (release) once it is disabled. Each adapter passes only
 * what is its own: the file, the values, how an owned key maps back to a path, the format's
 * planner and where its override layers are.
 *
 * @module
 */

import type { DesiredSetting } from "../reconcile/diff_managed_settings.ts";
import type { planTomlSettings } from "../reconcile/plan_toml_settings.ts";
import type { PlanWarning, SettingsStep } from "../reconcile/plan.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { HarnessPlan, HarnessPolicyTable, PlanContext } from "./harness_adapter.ts";

/**
 * Plans Beacon's settings in one file of one format: `planTomlSettings`, `planJsonSettings` or
 * a wrapper that adds the format's own options (such as a create mode). Its input is what
 * every format's planner takes.
 */
export type PlanSettingsFile = (
  input: Parameters<typeof planTomlSettings>[0],
) => Promise<SettingsStep>;

/** What {@link planHarnessSettings} needs from one harness. */
export interface HarnessSettingsFile {
  /** The harness's name (the plan step's `harness`). */
  harness: string;
  /** The settings file Beacon manages. */
  path: string;
  /** The policy's `[harnesses.<name>]` table: whether it is managed, and who wins a conflict. */
  table: Pick<HarnessPolicyTable, "enabled" | "on_conflict">;
  /** The values Beacon owns in the file, from the policy (asked only while enabled). */
  desiredSettings(policy: Policy): DesiredSetting[];
  /** An ownership record's key (`otel.exporter`, `env.OTEL_LOGS_EXPORTER`) -> its path. */
  ownedKeyPath(key: string): string[];
  /** The format's planner. */
  planFile: PlanSettingsFile;
  /** Layers that override the file (asked only while enabled), as plan warnings. */
  overrideLayers(): Promise<PlanWarning[]>;
}

/**
 * The harness's plan. Enabled: one step that makes the file match the policy, with the override
 * layers as warnings. Disabled: one step that gives back what Beacon took in the file (each key
 * it wrote returns to the user's value from before, or is removed, and Beacon forgets the file),
 * or nothing when Beacon owns nothing there. Conflicts are taken over with `force` or the
 * table's `on_conflict = "take_over"`. Reads only.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { planHarnessSettings } from "./plan_harness_settings.ts";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import { planTomlSettings } from "../reconcile/plan_toml_settings.ts";
 * import { realFileSystem } from "../reconcile/real_file_system.ts";
 *
 * const policy = v.parse(PolicySchema, {});
 * const ownership = { formatVersion: 1 as const, files: {} };
 * const plan = await planHarnessSettings({ policy, fs: realFileSystem, ownership, force: false }, {
 *   harness: "codex",
 *   path: "/nonexistent/.codex/config.toml",
 *   table: policy.harnesses.codex,
 *   desiredSettings: () => [{ path: ["otel", "environment"], value: "beacon" }],
 *   ownedKeyPath: (key) => key.split("."),
 *   planFile: planTomlSettings,
 *   overrideLayers: () => Promise.resolve([]),
 * });
 * plan.steps.length; // 1 (creates the file)
 * ```
 */
export async function planHarnessSettings(
  context: Pick<PlanContext, "policy" | "fs" | "ownership" | "force">,
  file: HarnessSettingsFile,
): Promise<HarnessPlan> {
  const { fs, ownership } = context;
  const { harness, path } = file;
  const takeOver = context.force || file.table.on_conflict === "take_over";
  if (!file.table.enabled) {
    const realPath = (await fs.lstat(path))?.isSymlink ? await fs.resolveTarget(path) : path;
    const owned = ownership.files[realPath];
    if (!owned) return { steps: [], warnings: [] };
    const desired: DesiredSetting[] = Object.keys(owned.written).map((key) => ({
      path: file.ownedKeyPath(key),
      value: owned.originals[key] ?? undefined,
    }));
    const step = await file.planFile({
      fs,
      harness,
      path,
      desired,
      ownership: ownership.files,
      takeOver,
      release: true,
    });
    return { steps: [step], warnings: [] };
  }
  const step = await file.planFile({
    fs,
    harness,
    path,
    desired: file.desiredSettings(context.policy),
    ownership: ownership.files,
    takeOver,
  });
  return { steps: [step], warnings: await file.overrideLayers() };
}
