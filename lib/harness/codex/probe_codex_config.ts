/**
 * Reads Codex's `config.toml` for `endpoint discover` and `status`: does it exist, does it
 * parse, and where does Codex export its logs. Reads only.
 *
 * @module
 */

import { exporterEndpoint } from "./codex_desired_settings.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";
import { getTomlValue } from "../../toml/get_toml_value.ts";
import { parseToml } from "../../toml/parse_toml.ts";
import { isTomlTable, type TomlValue } from "../../toml/toml_value.ts";
import {
  type HarnessConfigFormat,
  type HarnessConfigProbe,
  type HarnessTelemetry,
  probeHarnessConfig,
} from "../probe_harness_config.ts";
import { pointsAtBeacon } from "../points_at_beacon.ts";

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
export function probeCodexConfig(
  path: string,
  fs: FileSystem,
  options: ProbeCodexConfigOptions = {},
): Promise<HarnessConfigProbe> {
  return probeHarnessConfig(path, fs, options, CODEX_CONFIG_FORMAT);
}

const CODEX_CONFIG_FORMAT: HarnessConfigFormat = {
  displayName: "Codex",
  parse: parseToml,
  whenUnparsed: "Codex will not start",
  describeTelemetry(config, { path, beaconAddresses }) {
    const { problem, ...telemetry } = describeExporter(
      getTomlValue(config, ["otel", "exporter"]),
      beaconAddresses,
    );
    return problem ? { ...telemetry, problem: `otel.exporter in "${path}" ${problem}` } : telemetry;
  },
};

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
