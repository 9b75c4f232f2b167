/**
 * The one place that says how the collector is started as a service: which program (the
 * compiled binary, or Deno running the same script with the binary's permissions), which
 * arguments, and which environment.
 *
 * @module
 */
import { dirname, join } from "../../host/file_path.ts";
import { fileUrlToPath } from "../../host/file_url_to_path.ts";
import type { Host } from "../../host/host.ts";
import type { BeaconRuntime } from "../../host/processes.ts";
import { BINARY_PERMISSION_FLAGS } from "../binary_permission_flags.ts";
import { collectorServicePaths } from "./collector_service_paths.ts";
import { COLLECTOR_SERVICE_LABEL, type CollectorServiceSpec } from "./collector_service_spec.ts";

/** How to start this Beacon: the program and the arguments before Beacon's own. */
export interface BeaconProgram {
  /** Absolute path of the compiled `beacon` binary, or of `deno`. */
  executable: string;
  /** Empty for the binary; `["run", ...permissions, script]` for `deno`. */
  args: string[];
}

/** The compiled binary's permission flags (deno.json's `compile` task). */
export const BEACON_PERMISSION_FLAGS: readonly string[] = BINARY_PERMISSION_FLAGS;

/**
 * This Beacon as a program to start again: the compiled binary as it is, or `deno run` of the
 * same script with the binary's permissions (what the tests and development run). Sources
 * (`main.ts`) also get `--config` with the project's deno.json, which Deno would otherwise look
 * for in the service's working folder. `runtime` is the System's `processes.self`.
 */
export function currentBeaconProgram(
  runtime: BeaconRuntime,
): BeaconProgram {
  if (runtime.standalone) return { executable: runtime.execPath, args: [] };
  const script = runtime.mainModule.startsWith("file:")
    ? fileUrlToPath(runtime.mainModule)
    : runtime.mainModule;
  const config = script.endsWith(".ts") ? ["--config", join(dirname(script), "deno.json")] : [];
  return {
    executable: runtime.execPath,
    args: ["run", "--no-prompt", ...config, ...BEACON_PERMISSION_FLAGS, script],
  };
}

/** What {@link buildCollectorServiceSpec} needs. */
export interface CollectorServiceSpecInput {
  mode: "user" | "system";
  /** The machine; `home`, `systemRoot` and a few variables go into the service's environment. */
  host: Host;
  /** How to start Beacon (usually {@link currentBeaconProgram}). */
  program: BeaconProgram;
  /** The policy the collector runs with, as an absolute path; none: the usual lookup. */
  policyPath?: string;
  /** The runtime log the policy writes to; its folder is made writable for a system unit. */
  runtimeLogPath: string;
  /** `--include-codex-spans` (troubleshooting). */
  includeCodexSpans?: boolean;
  /**
   * The machine's generated token, as a file the collector reads (`--token-file`): the token
   * itself never goes on a command line, into a unit file or into the environment.
   */
  tokenFile?: string;
}

/** Variables passed through to the service when set (service managers start from nothing). */
const PASSED_VARIABLES = ["PATH", "BEACON_POLICY", "CODEX_HOME"] as const;

/**
 * The collector's service spec: `beacon collector run` (with `--system`, `--policy`,
 * `--include-codex-spans` and `--token-file` as needed) in the endpoint state folder, its output appended to the
 * collector log.
 */
export function buildCollectorServiceSpec(input: CollectorServiceSpecInput): CollectorServiceSpec {
  const { mode, host, program } = input;
  const paths = collectorServicePaths(mode, host);
  const env: Record<string, string> = { HOME: host.home };
  for (const name of PASSED_VARIABLES) {
    const value = host.env[name];
    if (value) env[name] = value;
  }
  if (host.systemRoot !== "/") env.BEACON_SYSTEM_ROOT = host.systemRoot;
  if (program.args.length && host.env.DENO_DIR) env.DENO_DIR = host.env.DENO_DIR;
  const args = [...program.args, "collector", "run"];
  if (mode === "system") args.push("--system");
  if (input.policyPath) args.push("--policy", input.policyPath);
  if (input.includeCodexSpans) args.push("--include-codex-spans");
  if (input.tokenFile) args.push("--token-file", input.tokenFile);
  return {
    mode,
    executable: program.executable,
    args,
    env,
    label: COLLECTOR_SERVICE_LABEL,
    logFile: paths.logFile,
    workingDirectory: paths.stateDir,
    writablePaths: [dirname(input.runtimeLogPath)],
  };
}
