import type { HarnessAdapter } from "../harness_adapter.ts";
import { CodexPolicySchema } from "./codex_policy_schema.ts";
import { probeCodexConfig } from "../../endpoint/probe/probe_codex_config.ts";
import { isCodexService } from "./is_codex_service.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import { classifyCodexExport } from "./classify_codex_telemetry.ts";
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
export const codexAdapter: HarnessAdapter<"codex", typeof CodexPolicySchema> = {
  name: "codex",
  displayName: "Codex CLI",
  command: "codex",
  policySchema: CodexPolicySchema,
  // Codex has one user layer (system mode edits the console user's file, as Codex reads it).
  configPath: (host) => codexConfigPath(host),
  probeConfig: probeCodexConfig,
  desiredSettings: codexDesiredSettings,
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
  isService: isCodexService,
  classifyLogRecord: classifyCodexLogRecord,
  classifyExport: classifyCodexExport,
  // Codex reads only its config file (CI points CODEX_HOME at a folder of its own).
  serviceEnvironment: () => ({}),
  ciHome: { variable: "CODEX_HOME", folder: "codex-home", output: "codex-home" },
};
