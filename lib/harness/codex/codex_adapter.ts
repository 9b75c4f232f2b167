import type { HarnessAdapter } from "../harness_adapter.ts";
import { CodexPolicySchema } from "./codex_policy_schema.ts";
import { probeCodexConfig } from "./probe_codex_config.ts";
import { isCodexService } from "./is_codex_service.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import { classifyCodexExport } from "./classify_codex_telemetry.ts";
import { planTomlSettings } from "../../reconcile/plan_toml_settings.ts";
import { planHarnessSettings } from "../plan_harness_settings.ts";
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
  plan: (context) =>
    planHarnessSettings(context, {
      harness: "codex",
      path: codexConfigPath(context.host),
      table: context.policy.harnesses.codex,
      desiredSettings: codexDesiredSettings,
      ownedKeyPath: (key) => key.split("."),
      planFile: planTomlSettings,
      overrideLayers: () => findCodexOverrideLayers(context.host, context.fs),
    }),
  isService: isCodexService,
  classifyLogRecord: classifyCodexLogRecord,
  classifyExport: classifyCodexExport,
  // Codex reads only its config file (CI points CODEX_HOME at a folder of its own).
  serviceEnvironment: () => ({}),
  ciHome: { variable: "CODEX_HOME", folder: "codex-home", output: "codex-home" },
};
