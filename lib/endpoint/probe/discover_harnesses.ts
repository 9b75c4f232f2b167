/**
 * What `beacon endpoint discover` reports: which AI coding agents are installed on this
 * machine, their versions, where their configuration lives and, for the agents Beacon manages,
 * where they send telemetry. Reads only: nothing is written, and each agent is only asked for
 * its `--version`.
 *
 * @module
 */

import { join } from "../../host/file_path.ts";
import type { Host } from "../../host/host.ts";
import { codexConfigPath, codexHome } from "../../harness/codex/codex_home.ts";
import type { FileSystem } from "../../reconcile/file_system.ts";
import { harnessAdapter } from "../../harness/harness_adapters.ts";
import { findExecutable } from "./find_executable.ts";
import { parseVersionOutput } from "./parse_version_output.ts";
import type { HarnessTelemetry } from "../../harness/probe_harness_config.ts";
import type { CommandResult, RunCommandOptions } from "../../host/run_command.ts";

export type { HarnessTelemetry };

/** The agents discovery looks for. */
export type HarnessName = "codex" | "claude-code" | "gemini-cli" | "copilot-cli";

/** One agent as found on this machine. Optional fields are absent when unknown. */
export interface HarnessDiscovery {
  name: HarnessName;
  /** Human name, e.g. "Codex CLI". */
  displayName: string;
  /** Whether Beacon configures this agent (one in the harness registry). */
  managed: boolean;
  /** Found at all: its program on PATH, or its configuration folder or file. */
  detected: boolean;
  /** The program found on PATH. */
  executable?: string;
  /** Parsed from `<executable> --version`; absent when that failed (see `problems`). */
  version?: string;
  /** The agent's configuration folder (it may not exist; see `detected`). */
  configDir?: string;
  /** The user configuration file Beacon would read or edit. */
  configPath?: string;
  configExists: boolean;
  /** Managed agents only: whether the file could be read and parsed. */
  configParses?: boolean;
  /** `path:line:col: message` when the file is not valid. */
  configError?: string;
  /** Managed agents only: where the agent exports its logs. */
  telemetry?: HarnessTelemetry;
  /** What stops the agent from starting or being probed, one sentence each for people. */
  problems: string[];
}

/** What {@link discoverHarnesses} touches, so tests can fake it. */
export interface DiscoverHarnessesDeps {
  fs: FileSystem;
  run: (
    cmd: string,
    args: readonly string[],
    options: RunCommandOptions,
  ) => Promise<Pick<CommandResult, "code" | "stdout" | "stderr"> & { timedOut?: boolean }>;
}

/** Options of {@link discoverHarnesses}. */
export interface DiscoverHarnessesOptions {
  /**
   * The collector's listen addresses, to tell whether an exporter points at Beacon (the
   * policy's `collector.listen` and `collector.grpc_listen`); the policy defaults if absent.
   */
  beaconAddresses?: readonly string[];
  /** How long `--version` may take (default {@link VERSION_TIMEOUT_MS}). */
  versionTimeoutMs?: number;
  /**
   * Do not run any program: `version` stays absent. For `endpoint status`, which must answer
   * quickly (`codex --version` alone takes about 200 ms, most of it Node starting).
   */
  skipVersion?: boolean;
}

/** How long an agent's `--version` may run before discovery gives up on it. */
export const VERSION_TIMEOUT_MS = 5000;

interface HarnessSpec {
  name: HarnessName;
  displayName: string;
  command: string;
  configDir(host: Host): string;
  configPath(host: Host): string;
  /** Other files whose presence shows the agent was used here. */
  markers(host: Host): string[];
}

/**
 * The agents discovery knows, in report order. Codex is managed; the others are detected so
 * that an admin sees what is in use before Beacon manages it.
 */
const HARNESS_SPECS: readonly HarnessSpec[] = [
  {
    name: "codex",
    displayName: "Codex CLI",
    command: "codex",
    configDir: codexHome,
    configPath: codexConfigPath,
    markers: () => [],
  },
  {
    name: "claude-code",
    displayName: "Claude Code",
    command: "claude",
    configDir: claudeConfigDir,
    configPath: (host) => join(claudeConfigDir(host), "settings.json"),
    markers: (host) => [join(host.home, ".claude.json")],
  },
  {
    name: "gemini-cli",
    displayName: "Gemini CLI",
    command: "gemini",
    configDir: (host) => join(host.home, ".gemini"),
    configPath: (host) => join(host.home, ".gemini", "settings.json"),
    markers: () => [],
  },
  {
    name: "copilot-cli",
    displayName: "GitHub Copilot CLI",
    command: "copilot",
    configDir: copilotHome,
    configPath: (host) => join(copilotHome(host), "settings.json"),
    markers: () => [],
  },
];

/** Every agent discovery looks for, managed or not. */
export const DISCOVERED_HARNESS_NAMES: readonly HarnessName[] = HARNESS_SPECS.map((spec) =>
  spec.name
);

/** Claude Code's folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude`. */
function claudeConfigDir(host: Host): string {
  return host.env.CLAUDE_CONFIG_DIR || join(host.home, ".claude");
}

/** Copilot CLI's folder: `$COPILOT_HOME`, else `~/.copilot`. */
function copilotHome(host: Host): string {
  return host.env.COPILOT_HOME || join(host.home, ".copilot");
}

/**
 * Looks for every known agent on `host`, all at once: the program on `PATH` (asked for its
 * `--version`, with a deadline so a hanging program cannot stall the command), its configuration
 * folder and file, and for Codex the parsed `config.toml` and its `otel.exporter`. Every agent is
 * listed, detected or not, in a fixed order. Never throws for anything found on disk.
 *
 * @example
 * ```ts
 * import { discoverHarnesses } from "./discover_harnesses.ts";
 * import { runCommand } from "../../host/run_command.ts";
 * import { readHost } from "../../host/host.ts";
 * import { realFileSystem } from "../../reconcile/real_file_system.ts";
 *
 * const found = await discoverHarnesses(readHost(), { fs: realFileSystem, run: runCommand });
 * found.filter((harness) => harness.detected).map((harness) => harness.displayName);
 * // ["Codex CLI", "Claude Code"]
 * ```
 */
export function discoverHarnesses(
  host: Host,
  deps: DiscoverHarnessesDeps,
  options: DiscoverHarnessesOptions = {},
): Promise<HarnessDiscovery[]> {
  return Promise.all(HARNESS_SPECS.map((spec) => discoverHarness(spec, host, deps, options)));
}

async function discoverHarness(
  spec: HarnessSpec,
  host: Host,
  deps: DiscoverHarnessesDeps,
  options: DiscoverHarnessesOptions,
): Promise<HarnessDiscovery> {
  const configDir = spec.configDir(host);
  const configPath = spec.configPath(host);
  // A managed harness is one in the registry; its adapter probes its config.
  const adapter = harnessAdapter(spec.name);
  const managed = adapter !== undefined;
  const isCodex = spec.name === "codex";
  const [executable, dirExists, markerFound] = await Promise.all([
    findExecutable(spec.command, host, deps.fs),
    exists(deps.fs, configDir),
    Promise.all(spec.markers(host).map((path) => exists(deps.fs, path))).then((found) =>
      found.includes(true)
    ),
  ]);
  const [versionProbe, config] = await Promise.all([
    executable && !options.skipVersion
      ? probeVersion(executable, host, deps, options.versionTimeoutMs ?? VERSION_TIMEOUT_MS)
      : undefined,
    adapter
      ? adapter.probeConfig(configPath, deps.fs, { beaconAddresses: options.beaconAddresses })
      : exists(deps.fs, configPath).then((configExists) => ({ configExists, problems: [] })),
  ]);

  const problems: string[] = [];
  if (versionProbe?.problem) problems.push(versionProbe.problem);
  if (isCodex && host.env.CODEX_HOME && !dirExists) {
    problems.push(
      `CODEX_HOME is set to "${host.env.CODEX_HOME}", which does not exist: Codex will not ` +
        "start until the folder is created or the variable is unset.",
    );
  }
  problems.push(...config.problems);

  const discovery: HarnessDiscovery = {
    name: spec.name,
    displayName: spec.displayName,
    managed,
    detected: executable !== undefined || dirExists || markerFound || config.configExists,
    configDir,
    configPath,
    configExists: config.configExists,
    problems,
  };
  if (executable) discovery.executable = executable;
  if (versionProbe?.version) discovery.version = versionProbe.version;
  if ("configParses" in config && config.configParses !== undefined) {
    discovery.configParses = config.configParses;
  }
  if ("configError" in config && config.configError) discovery.configError = config.configError;
  // Telemetry is only worth reporting for an agent that is there.
  if ("telemetry" in config && config.telemetry && discovery.detected) {
    discovery.telemetry = config.telemetry;
  }
  return discovery;
}

async function probeVersion(
  executable: string,
  host: Host,
  deps: DiscoverHarnessesDeps,
  timeoutMs: number,
): Promise<{ version?: string; problem?: string }> {
  const command = `\`${executable} --version\``;
  let result;
  try {
    result = await deps.run(executable, ["--version"], { timeoutMs, env: host.env });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { problem: `${command} could not be run: ${reason}` };
  }
  if (result.timedOut) {
    return { problem: `${command} did not finish within ${formatSeconds(timeoutMs)}.` };
  }
  if (result.code !== 0) {
    const said = firstLine(result.stderr) || firstLine(result.stdout);
    return {
      problem: `${command} exited with code ${result.code}` + (said ? `: ${said}` : "."),
    };
  }
  const version = parseVersionOutput(result.stdout) ?? parseVersionOutput(result.stderr);
  if (!version) {
    const said = firstLine(result.stdout);
    return {
      problem: `${command} printed no version number` + (said ? `: ${said}` : "."),
    };
  }
  return { version };
}

async function exists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    const info = await fs.lstat(path);
    if (!info) return false;
    if (!info.isSymlink) return true;
    return (await fs.lstat(await fs.resolveTarget(path))) !== undefined;
  } catch {
    // A folder we may not look into: as far as this user is concerned, nothing is there.
    return false;
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).map((part) => part.trim()).find((part) => part !== "") ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
