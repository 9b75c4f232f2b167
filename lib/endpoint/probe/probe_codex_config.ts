/**
 * Reads Codex's `config.toml` for `endpoint discover`: does it exist, does it parse, and where
 * does Codex export its logs. Reads only.
 *
 * @module
 */

import { exporterEndpoint } from "../../harness/codex/codex_desired_settings.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";
import { ConfigEncodingError, decodeConfigText } from "../../reconcile/decode_config_text.ts";
import { getTomlValue } from "../../toml/get_toml_value.ts";
import { parseToml } from "../../toml/parse_toml.ts";
import { isTomlTable, type TomlValue } from "../../toml/toml_value.ts";
import { DEFAULT_BEACON_ADDRESSES, pointsAtBeacon } from "./points_at_beacon.ts";

/** Where a harness sends its telemetry (logs), as its configuration says. */
export interface HarnessTelemetry {
  /**
   * The exporter's kind: `"none"`, `"statsig"`, `"otlp-http"`, `"otlp-grpc"` or, for a value
   * Codex would reject, what was written; undefined when none is configured (Codex then exports
   * no logs).
   */
  exporter: string | undefined;
  /** The OTLP endpoint, for the OTLP exporters. */
  endpoint?: string;
  /** Whether {@link endpoint} is Beacon's collector; present with `endpoint`. */
  pointsAtBeacon?: boolean;
}

/** What {@link probeCodexConfig} found. */
export interface CodexConfigProbe {
  configExists: boolean;
  /** Present when the file exists and could be read. */
  configParses?: boolean;
  /** `path:line:col: message` when the file is not valid TOML (or not UTF-8). */
  configError?: string;
  /** Present when the file is missing (nothing is exported) or parses. */
  telemetry?: HarnessTelemetry;
  /** What keeps Codex from starting or from reaching Beacon, for people. */
  problems: string[];
}

/** Options of {@link probeCodexConfig}. */
export interface ProbeCodexConfigOptions {
  /** The collector's listen addresses (`collector.listen`, `collector.grpc_listen`). */
  beaconAddresses?: readonly string[];
}

/**
 * Reads `path` (Codex's `config.toml`) through `fs` and reports its state and `otel.exporter`.
 * Never throws for a missing, unreadable or invalid file: that is in the result.
 *
 * @example
 * ```ts
 * import { probeCodexConfig } from "./probe_codex_config.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 *
 * const probe = await probeCodexConfig("/home/ada/.codex/config.toml", realFileSystem);
 * // { configExists: true, configParses: true, problems: [],
 * //   telemetry: { exporter: "otlp-http", endpoint: "http://127.0.0.1:4318/v1/logs",
 * //                pointsAtBeacon: true } }
 * ```
 */
export async function probeCodexConfig(
  path: string,
  fs: FileSystem,
  options: ProbeCodexConfigOptions = {},
): Promise<CodexConfigProbe> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      configExists: true,
      problems: [`Cannot read "${path}": ${reason}. Codex cannot read it either.`],
    };
  }
  if (bytes === undefined) {
    const info = await fs.lstat(path).catch(() => undefined);
    const problems = info?.isSymlink
      ? [`"${path}" is a symlink to "${await fs.resolveTarget(path)}", which does not exist.`]
      : [];
    return { configExists: false, telemetry: { exporter: undefined }, problems };
  }

  let text: string;
  try {
    text = decodeConfigText(bytes, path);
  } catch (error) {
    if (!(error instanceof ConfigEncodingError)) throw error;
    const configError = `${path}: not valid UTF-8 text`;
    return {
      configExists: true,
      configParses: false,
      configError,
      problems: [`Codex will not start: ${configError}.`],
    };
  }
  const parsed = parseToml(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    const configError = `${path}:${line}:${column}: ${message}`;
    return {
      configExists: true,
      configParses: false,
      configError,
      problems: [`Codex will not start: ${configError}`],
    };
  }

  const problems: string[] = [];
  const exporter = getTomlValue(parsed.value, ["otel", "exporter"]);
  const telemetry = describeExporter(exporter, options.beaconAddresses ?? DEFAULT_BEACON_ADDRESSES);
  if (telemetry.problem) problems.push(`otel.exporter in "${path}" ${telemetry.problem}`);
  return {
    configExists: true,
    configParses: true,
    telemetry: telemetry.endpoint === undefined ? { exporter: telemetry.exporter } : {
      exporter: telemetry.exporter,
      endpoint: telemetry.endpoint,
      pointsAtBeacon: telemetry.pointsAtBeacon,
    },
    problems,
  };
}

const ACCEPTED_FORMS = '"none", "statsig", { otlp-http = { ... } } or { otlp-grpc = { ... } }';

function describeExporter(
  value: TomlValue | undefined,
  beaconAddresses: readonly string[],
): HarnessTelemetry & { problem?: string } {
  if (value === undefined) return { exporter: undefined };
  if (value === "none" || value === "statsig") return { exporter: value };
  if (!isTomlTable(value)) {
    const written = typeof value === "string" ? JSON.stringify(value) : String(value);
    return {
      exporter: typeof value === "string" ? value : String(value),
      problem: `is ${written}, which Codex rejects (it accepts ${ACCEPTED_FORMS}): ` +
        "Codex will not start.",
    };
  }
  const variant = ["otlp-http", "otlp-grpc"].find((key) => Object.hasOwn(value, key));
  if (!variant) {
    const keys = Object.keys(value).join(", ") || "an empty table";
    return {
      exporter: Object.keys(value)[0],
      problem: `is ${keys}, which Codex rejects (it accepts ${ACCEPTED_FORMS}): ` +
        "Codex will not start.",
    };
  }
  const endpoint = exporterEndpoint(value);
  if (endpoint === undefined) {
    return {
      exporter: variant,
      problem: `has no ${variant}.endpoint: Codex will not start.`,
    };
  }
  const beacon = pointsAtBeacon(endpoint, beaconAddresses);
  const protocol = (value[variant] as Record<string, TomlValue>).protocol;
  if (variant === "otlp-http" && protocol !== "binary" && protocol !== "json") {
    return {
      exporter: variant,
      endpoint,
      pointsAtBeacon: beacon,
      problem: 'needs otlp-http.protocol = "binary" or "json": Codex will not start.',
    };
  }
  if (beacon && variant === "otlp-http" && !isLogsPath(endpoint)) {
    return {
      exporter: variant,
      endpoint,
      pointsAtBeacon: beacon,
      problem: `sends to ${endpoint}: Codex posts to the endpoint exactly as written, and the ` +
        "collector takes logs only at /v1/logs, so every export is refused.",
    };
  }
  return { exporter: variant, endpoint, pointsAtBeacon: beacon };
}

function isLogsPath(endpoint: string): boolean {
  try {
    return new URL(endpoint).pathname === "/v1/logs";
  } catch {
    return false;
  }
}
