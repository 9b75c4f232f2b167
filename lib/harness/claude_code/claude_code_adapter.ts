import type { HarnessAdapter } from "../harness_adapter.ts";
import { planJsonSettings } from "../../reconcile/plan_json_settings.ts";
import { planHarnessSettings } from "../plan_harness_settings.ts";
import { ClaudeCodePolicySchema } from "./claude_code_policy_schema.ts";
import { claudeCodePolicyOf } from "./claude_code_policy_of.ts";
import { claudeCodeDesiredSettings } from "./claude_code_desired_settings.ts";
import { claudeCodeConfigDir, claudeCodeSettingsPath } from "./claude_code_settings_paths.ts";
import { findClaudeCodeOverrideLayers } from "./find_claude_code_override_layers.ts";
import { isClaudeCodeService } from "./is_claude_code_service.ts";
import { probeClaudeCodeSettings } from "./probe_claude_code_settings.ts";
import { classifyClaudeCodeExport } from "./classify_claude_code_telemetry.ts";
import { classifyClaudeCodeLogRecord } from "./classify_claude_code_log_record.ts";

/**
 * Claude Code: Beacon's telemetry variables in the `env` block of `~/.claude/settings.json`
 * (user mode; only where Claude Code has its folder) or of the machine's managed settings
 * (system mode). When the policy disables
 * Claude Code, the plan gives back what Beacon took: each key it wrote returns to the user's
 * value from before (or is removed), the file's own bytes when nobody changed it since.
 */
export const claudeCodeAdapter: HarnessAdapter<"claude-code", typeof ClaudeCodePolicySchema> = {
  name: "claude-code",
  displayName: "Claude Code",
  command: "claude",
  policySchema: ClaudeCodePolicySchema,
  configPath: (host, mode) => claudeCodeSettingsPath(host, mode),
  probeConfig: probeClaudeCodeSettings,
  desiredSettings: claudeCodeDesiredSettings,
  async plan(context) {
    const { host, fs } = context;
    const endpointMode = context.mode ?? context.policy.endpoint.mode;
    // A user who never ran Claude Code has no ~/.claude: nothing to configure (or give back).
    if (endpointMode === "user" && !(await fs.lstat(claudeCodeConfigDir(host)))) {
      return { steps: [], warnings: [] };
    }
    return await planHarnessSettings(context, {
      harness: "claude-code",
      path: claudeCodeSettingsPath(host, endpointMode),
      table: claudeCodePolicyOf(context.policy),
      desiredSettings: claudeCodeDesiredSettings,
      ownedKeyPath: splitEnvKey,
      // Managed settings are read by every user's Claude Code; they hold no secret but the
      // collector token, which only lets a local process write events (as the test event does).
      planFile: (input) =>
        planJsonSettings(
          endpointMode === "system" && !input.release
            ? { ...input, createMode: MANAGED_SETTINGS_MODE }
            : input,
        ),
      overrideLayers: () => findClaudeCodeOverrideLayers(host, fs, endpointMode),
    });
  },
  isService: isClaudeCodeService,
  classifyLogRecord: classifyClaudeCodeLogRecord,
  classifyExport: classifyClaudeCodeExport,
  serviceEnvironment(policy) {
    return Object.fromEntries(
      claudeCodeDesiredSettings(policy).flatMap((setting) =>
        typeof setting.value === "string" ? [[setting.path[1], setting.value]] : []
      ),
    );
  },
  // Claude Code reads settings.json (and writes its sessions and .claude.json) in this folder.
  ciHome: { variable: "CLAUDE_CONFIG_DIR", folder: "claude-config", output: "claude-config-dir" },
};

/** The managed settings file's mode: Claude Code runs as each user and must read it. */
const MANAGED_SETTINGS_MODE = 0o644;

/** `env.OTEL_LOGS_EXPORTER` -> `["env", "OTEL_LOGS_EXPORTER"]` (variable names hold no dot). */
function splitEnvKey(key: string): string[] {
  const dot = key.indexOf(".");
  return [key.slice(0, dot), key.slice(dot + 1)];
}
