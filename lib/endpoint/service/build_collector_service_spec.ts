import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { Host } from "../../host/host.ts";
import { collectorServicePaths } from "./collector_service_paths.ts";
import { COLLECTOR_SERVICE_LABEL, type CollectorServiceSpec } from "./collector_service_spec.ts";

/** How to start Beacon itself: a program and the arguments before Beacon's own. */
export interface BeaconProgram {
  /** Absolute path of the compiled `beacon` binary, or of `deno`. */
  executable: string;
  /** Empty for the binary; `["run", ...permissions, script]` for `deno`. */
  args: string[];
}

/**
 * The permissions Beacon runs with when it is not compiled: the same as the `compile` task in
 * deno.json gives the binary (a test keeps the two equal).
 */
export const BEACON_PERMISSION_FLAGS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net",
  "--allow-run",
  "--allow-sys",
];

/** What {@link currentBeaconProgram} reads from the running Deno (injected for tests). */
export interface DenoRuntimeFacts {
  /** `Deno.execPath()`: the binary, or `deno`. */
  execPath: string;
  /** `Deno.mainModule`: the script's URL when run by `deno run`. */
  mainModule: string;
  /** `Deno.build.standalone`: true in a `deno compile` binary. */
  standalone: boolean;
}

/**
 * How to start the Beacon that is running now: the compiled binary as is, or `deno run` with
 * Beacon's permissions and the same script (the bundle, or main.ts from a checkout).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentBeaconProgram } from "./build_collector_service_spec.ts";
 * const program = currentBeaconProgram({
 *   execPath: "/usr/bin/deno", mainModule: "file:///opt/beacon/beacon.js", standalone: false,
 * });
 * assert.deepEqual(program.args.at(-1), "/opt/beacon/beacon.js");
 * ```
 */
export function currentBeaconProgram(
  runtime: DenoRuntimeFacts = {
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    standalone: Deno.build.standalone,
  },
): BeaconProgram {
  if (runtime.standalone) return { executable: runtime.execPath, args: [] };
  const script = runtime.mainModule.startsWith("file:")
    ? fileURLToPath(runtime.mainModule)
    : runtime.mainModule;
  return {
    executable: runtime.execPath,
    args: ["run", "--no-prompt", ...BEACON_PERMISSION_FLAGS, script],
  };
}

/** Input of {@link buildCollectorServiceSpec}. */
export interface CollectorServiceSpecInput {
  mode: "user" | "system";
  /** The machine; `home` and `systemRoot` also go into the service's environment. */
  host: Host;
  /** How to start Beacon (usually {@link currentBeaconProgram}). */
  program: BeaconProgram;
  /** The policy the collector runs with, as an absolute path. */
  policyPath: string;
  /** The runtime log the policy writes to; its folder is made writable for a system unit. */
  runtimeLogPath: string;
}

/**
 * The collector's service spec for the endpoint commands: `beacon collector run --policy PATH`
 * in the endpoint state folder, its own output in `collector.log`, and an environment with
 * `HOME` (Beacon needs it), `BEACON_SYSTEM_ROOT` when it is not `/`, and `DENO_DIR` when Beacon
 * runs through `deno` with a custom cache.
 */
export function buildCollectorServiceSpec(input: CollectorServiceSpecInput): CollectorServiceSpec {
  const { mode, host, program } = input;
  const paths = collectorServicePaths(mode, host);
  const env: Record<string, string> = { HOME: host.home };
  if (host.systemRoot !== "/") env.BEACON_SYSTEM_ROOT = host.systemRoot;
  if (program.args.length && host.env.DENO_DIR) env.DENO_DIR = host.env.DENO_DIR;
  return {
    mode,
    executable: program.executable,
    args: [...program.args, "collector", "run", "--policy", input.policyPath],
    env,
    label: COLLECTOR_SERVICE_LABEL,
    logFile: paths.logFile,
    workingDirectory: paths.stateDir,
    writablePaths: [dirname(input.runtimeLogPath)],
  };
}
