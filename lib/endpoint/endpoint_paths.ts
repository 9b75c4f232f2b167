import { join } from "../host/file_path.ts";
import type { Host } from "../host/host.ts";
import type { Policy } from "../policy/policy_schema.ts";

/** Where the endpoint keeps its files, in user or system mode. */
export interface EndpointPaths {
  mode: "user" | "system";
  /** Folder of Beacon's own state (ownership records, locks, pid file). */
  stateDir: string;
  /** What Beacon last wrote into each managed file, and the user's values before it. */
  statePath: string;
  /** Serialises applies: held while a plan is computed and written. */
  lockPath: string;
  /**
   * The collector token Beacon generated for this machine when the policy sets none (one line,
   * 0600 in the 0700 state folder; root's in system mode). The collector reads it with
   * `--token-file`.
   */
  tokenPath: string;
  /** The default runtime log when the policy does not name one. */
  runtimeLogPath: string;
  /** The policy file a user may keep. */
  userPolicyPath: string;
  /** The policy file an admin (or MDM) deploys for the machine. */
  systemPolicyPath: string;
}

/**
 * The endpoint's paths for a mode. System paths sit under `host.systemRoot` so the whole
 * system layout can be exercised without root.
 */
export function endpointPaths(mode: "user" | "system", host: Host): EndpointPaths {
  const systemPolicyPath = join(host.systemRoot, "etc", "beacon", "policy.toml");
  const userPolicyPath = join(host.home, ".beacon", "policy.toml");
  if (mode === "system") {
    const stateDir = join(host.systemRoot, "var", "lib", "beacon-agent");
    return {
      mode,
      stateDir,
      statePath: join(stateDir, "state.json"),
      lockPath: join(stateDir, "apply.lock"),
      tokenPath: join(stateDir, "collector.token"),
      runtimeLogPath: join(host.systemRoot, "var", "log", "beacon-agent", "runtime.jsonl"),
      userPolicyPath,
      systemPolicyPath,
    };
  }
  const stateDir = join(host.home, ".beacon", "endpoint");
  return {
    mode,
    stateDir,
    statePath: join(stateDir, "state.json"),
    lockPath: join(stateDir, "apply.lock"),
    tokenPath: join(stateDir, "collector.token"),
    runtimeLogPath: join(stateDir, "logs", "runtime.jsonl"),
    userPolicyPath,
    systemPolicyPath,
  };
}

/** The runtime log the policy names, or the mode's default. */
export function runtimeLogPathOf(policy: Policy, mode: "user" | "system", host: Host): string {
  return policy.runtime_log.path ?? endpointPaths(mode, host).runtimeLogPath;
}
