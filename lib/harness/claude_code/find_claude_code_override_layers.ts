import { join, resolve } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";
import type { PlanWarning } from "../../reconcile/plan.ts";
import { decodeConfigText } from "../../reconcile/decode_config_text.ts";
import { parseJsonSettings } from "../../json/parse_json_settings.ts";
import { isTomlTable } from "../../toml/toml_value.ts";
import {
  claudeCodeManagedSettingsPath,
  claudeCodeSettingsPath,
} from "./claude_code_settings_paths.ts";
import { CLAUDE_CODE_ENV_BLOCK } from "./claude_code_desired_settings.ts";

/**
 * Claude Code settings layers that would override the `env` entries Beacon writes: in user mode
 * the machine's managed settings (above every other layer), and in both modes the project's
 * `.claude/settings.json` and `.claude/settings.local.json` in the working folder (above the
 * user's file). Only telemetry variables (`CLAUDE_CODE_ENABLE_TELEMETRY`, `OTEL_*`) are named.
 * Reads only.
 */
export async function findClaudeCodeOverrideLayers(
  host: Host,
  fs: FileSystem,
  mode: "user" | "system",
): Promise<PlanWarning[]> {
  const layers = [
    ...(mode === "user" ? [claudeCodeManagedSettingsPath(host)] : []),
    join(host.cwd, ".claude", "settings.json"),
    join(host.cwd, ".claude", "settings.local.json"),
  ];
  const warnings: PlanWarning[] = [];
  // Run from the home folder, the project's .claude/settings.json is the user's own file.
  const managedHere = resolve(claudeCodeSettingsPath(host, mode));
  for (const path of layers) {
    if (resolve(path) === managedHere) continue;
    const keys = await telemetryKeys(fs, path);
    if (!keys.length) continue;
    warnings.push({
      target: path,
      message: `sets ${keys.join(", ")}, which ${
        mode === "user" && path === layers[0]
          ? "overrides every other settings file"
          : "overrides the user's settings.json in this project"
      }: Claude Code will not use Beacon's values for these.`,
    });
  }
  return warnings;
}

async function telemetryKeys(fs: FileSystem, path: string): Promise<string[]> {
  const bytes = await fs.readFile(path).catch(() => undefined);
  if (!bytes) return [];
  let text: string;
  try {
    text = decodeConfigText(bytes, path);
  } catch {
    return [];
  }
  const parsed = parseJsonSettings(text);
  if (!parsed.ok) return [];
  const env = parsed.value[CLAUDE_CODE_ENV_BLOCK];
  if (!isTomlTable(env)) return [];
  return Object.keys(env).filter((key) =>
    key === "CLAUDE_CODE_ENABLE_TELEMETRY" || key.startsWith("OTEL_")
  );
}
