import { join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";

/** Claude Code's folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeCodeConfigDir(host: Host): string {
  return host.env.CLAUDE_CONFIG_DIR || join(host.home, ".claude");
}

/** The user's Claude Code settings, `~/.claude/settings.json` (user mode). */
export function claudeCodeUserSettingsPath(host: Host): string {
  return join(claudeCodeConfigDir(host), "settings.json");
}

/**
 * The machine-wide managed settings file (system mode), which Claude Code reads above every
 * user and project layer: `/Library/Application Support/ClaudeCode/managed-settings.json` on
 * macOS, `/etc/claude-code/managed-settings.json` on Linux, under the host's system root.
 *
 * @example
 * ```ts
 * import { claudeCodeManagedSettingsPath } from "./claude_code_settings_paths.ts";
 * const host = { home: "/home/ada", cwd: "/", systemRoot: "/", os: "linux", env: {}, now: () => new Date() };
 * claudeCodeManagedSettingsPath(host); // "/etc/claude-code/managed-settings.json"
 * ```
 */
export function claudeCodeManagedSettingsPath(host: Host): string {
  return host.os === "darwin"
    ? join(host.systemRoot, "Library", "Application Support", "ClaudeCode", "managed-settings.json")
    : join(host.systemRoot, "etc", "claude-code", "managed-settings.json");
}

/** The settings file Beacon manages in this endpoint mode. */
export function claudeCodeSettingsPath(host: Host, mode: "user" | "system"): string {
  return mode === "system" ? claudeCodeManagedSettingsPath(host) : claudeCodeUserSettingsPath(host);
}
