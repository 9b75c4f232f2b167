import type { HarnessAdapter } from "../harness_adapter.ts";
import type { DesiredSetting } from "../../reconcile/diff_managed_settings.ts";
import { planTomlSettings } from "../../reconcile/plan_toml_settings.ts";
import { codexConfigPath } from "./codex_home.ts";
import { codexDesiredSettings } from "./codex_desired_settings.ts";
import { findCodexOverrideLayers } from "./find_codex_override_layers.ts";

/**
 * Codex CLI: Beacon's `[otel]` settings in `$CODEX_HOME/config.toml`. When the policy disables
 * Codex, the plan gives back what Beacon took: each key it wrote returns to the user's value
 * from before (or is removed), and Beacon forgets the file.
 */
export const codexAdapter: HarnessAdapter = {
  name: "codex",
  displayName: "Codex CLI",
  async plan({ policy, host, fs, ownership, force }) {
    const path = codexConfigPath(host);
    const codex = policy.harnesses.codex;
    const takeOver = force || codex.on_conflict === "take_over";
    if (!codex.enabled) {
      const realPath = (await fs.lstat(path))?.isSymlink ? await fs.resolveTarget(path) : path;
      const owned = ownership.files[realPath];
      if (!owned) return { steps: [], warnings: [] };
      const desired: DesiredSetting[] = Object.keys(owned.written).map((key) => ({
        path: key.split("."),
        value: owned.originals[key] ?? undefined,
      }));
      const step = await planTomlSettings({
        fs,
        harness: "codex",
        path,
        desired,
        ownership: ownership.files,
        takeOver,
        release: true,
      });
      return { steps: [step], warnings: [] };
    }
    const step = await planTomlSettings({
      fs,
      harness: "codex",
      path,
      desired: codexDesiredSettings(policy),
      ownership: ownership.files,
      takeOver,
    });
    return { steps: [step], warnings: await findCodexOverrideLayers(host, fs) };
  },
};
