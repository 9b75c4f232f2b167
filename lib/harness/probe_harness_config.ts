/**
 * The status check of a harness's config file, whatever its format: does it exist, can the
 * harness read it, does it parse, and where does it send its logs (Beacon's collector or not).
 * Each harness passes its format: its name, its parser, what it does with a file that does not
 * parse, and how to read the logs' destination out of the parsed file.
 *
 * @module
 */

import type { FileSystem } from "../reconcile/file_system.ts";
import { ConfigEncodingError, decodeConfigText } from "../reconcile/decode_config_text.ts";
import type { TomlTable } from "../toml/toml_value.ts";
import { DEFAULT_BEACON_ADDRESSES } from "./points_at_beacon.ts";

/** Where a harness sends its telemetry (logs), as its configuration says. */
export interface HarnessTelemetry {
  /**
   * The exporter's kind as the harness names it (Codex: `"none"`, `"statsig"`, `"otlp-http"`,
   * `"otlp-grpc"`; Claude Code: `OTEL_LOGS_EXPORTER`) or, for a value the harness would reject,
   * what was written; undefined when none is configured (the harness then exports no logs).
   */
  exporter: string | undefined;
  /** The OTLP endpoint, for the OTLP exporters. */
  endpoint?: string;
  /** Whether {@link endpoint} is Beacon's collector; present with `endpoint`. */
  pointsAtBeacon?: boolean;
}

/** What {@link probeHarnessConfig} found. */
export interface HarnessConfigProbe {
  configExists: boolean;
  /** Present when the file exists and could be read. */
  configParses?: boolean;
  /** `path:line:col: message` when the file does not parse (or is not UTF-8). */
  configError?: string;
  /** Present when the file is missing (nothing is exported) or parses. */
  telemetry?: HarnessTelemetry;
  /** What keeps the harness from starting or from reaching Beacon, for people. */
  problems: string[];
}

/** A harness's config format, as {@link probeHarnessConfig} reads it. */
export interface HarnessConfigFormat {
  /** The harness's name in problems, e.g. "Codex". */
  displayName: string;
  /** Parses the file's text; a syntax error with its line and column. */
  parse(text: string):
    | { ok: true; value: TomlTable }
    | { ok: false; error: { line: number; column: number; message: string } };
  /** What the harness does with a file that does not parse, e.g. "Codex will not start". */
  whenUnparsed: string;
  /**
   * Where the parsed file sends the logs, and what is wrong with that for people (a whole
   * sentence naming the file), if anything.
   */
  describeTelemetry(
    value: TomlTable,
    where: { path: string; beaconAddresses: readonly string[] },
  ): HarnessTelemetry & { problem?: string };
}

/**
 * Reads `path` through `fs` and reports its state and where it sends the logs. Never throws for
 * a missing, unreadable or invalid file: that is in the result. Reads only.
 *
 * @example
 * ```ts
 * import { probeHarnessConfig } from "./probe_harness_config.ts";
 * import { realFileSystem } from "../reconcile/real_file_system.ts";
 * import { parseJsonSettings } from "../json/parse_json_settings.ts";
 *
 * const probe = await probeHarnessConfig("/nonexistent/settings.json", realFileSystem, {}, {
 *   displayName: "Example",
 *   parse: parseJsonSettings,
 *   whenUnparsed: "Example ignores these settings",
 *   describeTelemetry: () => ({ exporter: undefined }),
 * });
 * probe; // { configExists: false, telemetry: { exporter: undefined }, problems: [] }
 * ```
 */
export async function probeHarnessConfig(
  path: string,
  fs: FileSystem,
  options: { beaconAddresses?: readonly string[] },
  format: HarnessConfigFormat,
): Promise<HarnessConfigProbe> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      configExists: true,
      problems: [`Cannot read "${path}": ${reason}. ${format.displayName} cannot read it either.`],
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
      problems: [`${format.whenUnparsed}: ${configError}.`],
    };
  }
  const parsed = format.parse(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    const configError = `${path}:${line}:${column}: ${message}`;
    return {
      configExists: true,
      configParses: false,
      configError,
      problems: [`${format.whenUnparsed}: ${configError}`],
    };
  }

  const { problem, ...telemetry } = format.describeTelemetry(parsed.value, {
    path,
    beaconAddresses: options.beaconAddresses ?? DEFAULT_BEACON_ADDRESSES,
  });
  return {
    configExists: true,
    configParses: true,
    telemetry: telemetry.endpoint === undefined ? { exporter: telemetry.exporter } : {
      exporter: telemetry.exporter,
      endpoint: telemetry.endpoint,
      pointsAtBeacon: telemetry.pointsAtBeacon,
    },
    problems: problem ? [problem] : [],
  };
}
