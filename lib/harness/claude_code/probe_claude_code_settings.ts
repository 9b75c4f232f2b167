import type { FileSystem } from "../../reconcile/file_system.ts";
import { isTomlTable } from "../../toml/toml_value.ts";
import { parseJsonSettings } from "../../json/parse_json_settings.ts";
import { pointsAtBeacon } from "../points_at_beacon.ts";
import {
  type HarnessConfigFormat,
  type HarnessConfigProbe,
  probeHarnessConfig,
} from "../probe_harness_config.ts";
import { CLAUDE_CODE_ENV_BLOCK } from "./claude_code_desired_settings.ts";

/**
 * Reads Claude Code's settings file for `endpoint discover` and `status`: whether it parses, and
 * where its `env` block sends the logs (`OTEL_LOGS_EXPORTER`, the logs endpoint, else the shared
 * one) and whether that is Beacon's collector. Reads only; a file Claude Code could not read is a
 * problem named for people.
 *
 * @example
 * ```ts
 * import { probeClaudeCodeSettings } from "./probe_claude_code_settings.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 * const probe = await probeClaudeCodeSettings("/nonexistent/settings.json", realFileSystem);
 * probe.configExists; // false
 * ```
 */
export function probeClaudeCodeSettings(
  path: string,
  fs: FileSystem,
  options: { beaconAddresses?: readonly string[] } = {},
): Promise<HarnessConfigProbe> {
  return probeHarnessConfig(path, fs, options, CLAUDE_CODE_SETTINGS_FORMAT);
}

const CLAUDE_CODE_SETTINGS_FORMAT: HarnessConfigFormat = {
  displayName: "Claude Code",
  parse: parseJsonSettings,
  whenUnparsed: "Claude Code ignores these settings",
  describeTelemetry(settings, { beaconAddresses }) {
    const env = settings[CLAUDE_CODE_ENV_BLOCK];
    const read = (name: string) =>
      isTomlTable(env) && typeof env[name] === "string" ? env[name] as string : undefined;
    const enabled = /^(1|true|yes|on)$/i.test(read("CLAUDE_CODE_ENABLE_TELEMETRY")?.trim() ?? "");
    const exporter = enabled ? read("OTEL_LOGS_EXPORTER") : undefined;
    const endpoint = read("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT") ??
      read("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (exporter !== "otlp" || endpoint === undefined) return { exporter };
    return { exporter, endpoint, pointsAtBeacon: pointsAtBeacon(endpoint, beaconAddresses) };
  },
};
