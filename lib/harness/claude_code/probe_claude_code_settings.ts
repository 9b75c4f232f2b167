import type { FileSystem } from "../../reconcile/file_system.ts";
import { ConfigEncodingError, decodeConfigText } from "../../reconcile/decode_config_text.ts";
import { isTomlTable } from "../../toml/toml_value.ts";
import { parseJsonSettings } from "../../json/parse_json_settings.ts";
import type { CodexConfigProbe } from "../../endpoint/probe/probe_codex_config.ts";
import { DEFAULT_BEACON_ADDRESSES, pointsAtBeacon } from "../../endpoint/probe/points_at_beacon.ts";
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
export async function probeClaudeCodeSettings(
  path: string,
  fs: FileSystem,
  options: { beaconAddresses?: readonly string[] } = {},
): Promise<CodexConfigProbe> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      configExists: true,
      problems: [`Cannot read "${path}": ${reason}. Claude Code cannot read it either.`],
    };
  }
  if (bytes === undefined) {
    return { configExists: false, telemetry: { exporter: undefined }, problems: [] };
  }
  let text: string;
  try {
    text = decodeConfigText(bytes, path);
  } catch (error) {
    if (!(error instanceof ConfigEncodingError)) throw error;
    const configError = `${path}: not valid UTF-8 text`;
    return { configExists: true, configParses: false, configError, problems: [configError] };
  }
  const parsed = parseJsonSettings(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    const configError = `${path}:${line}:${column}: ${message}`;
    return {
      configExists: true,
      configParses: false,
      configError,
      problems: [`Claude Code ignores these settings: ${configError}`],
    };
  }
  const env = parsed.value[CLAUDE_CODE_ENV_BLOCK];
  const read = (name: string) =>
    isTomlTable(env) && typeof env[name] === "string" ? env[name] as string : undefined;
  const enabled = /^(1|true|yes|on)$/i.test(read("CLAUDE_CODE_ENABLE_TELEMETRY")?.trim() ?? "");
  const exporter = enabled ? read("OTEL_LOGS_EXPORTER") : undefined;
  const endpoint = read("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT") ?? read("OTEL_EXPORTER_OTLP_ENDPOINT");
  if (exporter !== "otlp" || endpoint === undefined) {
    return { configExists: true, configParses: true, telemetry: { exporter }, problems: [] };
  }
  return {
    configExists: true,
    configParses: true,
    telemetry: {
      exporter,
      endpoint,
      pointsAtBeacon: pointsAtBeacon(endpoint, options.beaconAddresses ?? DEFAULT_BEACON_ADDRESSES),
    },
    problems: [],
  };
}
