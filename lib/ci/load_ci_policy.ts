import { join } from "../host/file_path.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { System } from "../host/system.ts";
import { DEFAULT_POLICY_TEXT, loadPolicy } from "../policy/load_policy.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";

/** Where a CI run's policy is committed in the repository, relative to its root. */
export const REPOSITORY_POLICY_PATH = ".beacon/policy.toml";

/** A CI run's policy and where it came from. */
export interface CiPolicy {
  policy: Policy;
  /** A path, or `built-in default (CI)`. */
  source: string;
  origin: "--policy" | "BEACON_POLICY" | "repository" | "built-in";
}

/**
 * The policy of a CI run: `--policy PATH`, else `$BEACON_POLICY`, else the policy committed in
 * the repository (`.beacon/policy.toml` in `$GITHUB_WORKSPACE`, else in the working folder), else
 * the built-in default with `environment = "ci"` and Codex's metrics sent to the run's collector
 * (`include_metrics`), so a run's token usage is there both per response (from the logs) and as
 * Codex's own token metrics. Claude Code is enabled too (its logs carry tokens and its own cost
 * per request). A user's or the machine's endpoint policy is not used: a CI run is governed by
 * what the repository says. Files are read through the System's `fs`.
 *
 * @throws {PolicyError} when the chosen file is invalid, or an Error when it cannot be read.
 */
export async function loadCiPolicy(
  system: Pick<System, "host" | "fs">,
  explicitPath?: string,
): Promise<CiPolicy> {
  const { host, fs } = system;
  if (explicitPath) {
    const loaded = await loadPolicy(system, explicitPath);
    return { policy: loaded.policy, source: loaded.source, origin: "--policy" };
  }
  if (host.env.BEACON_POLICY) {
    const loaded = await loadPolicy(system);
    return { policy: loaded.policy, source: loaded.source, origin: "BEACON_POLICY" };
  }
  const repository = join(host.env.GITHUB_WORKSPACE || host.cwd, REPOSITORY_POLICY_PATH);
  if (await isFile(fs, repository)) {
    const loaded = await loadPolicy(system, repository);
    return { policy: loaded.policy, source: loaded.source, origin: "repository" };
  }
  const policy = parsePolicy(DEFAULT_POLICY_TEXT, "built-in default");
  policy.harnesses.codex.environment = "ci";
  policy.harnesses.codex.include_metrics = true;
  return { policy, source: "built-in default (CI)", origin: "built-in" };
}

/** Whether `path` is a file, following links (as `stat` does). */
async function isFile(fs: FileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.lstat(await fs.resolveTarget(path)))?.isFile ?? false;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return false;
    }
    throw new Error(`Cannot read the repository's policy "${path}": ${(error as Error).message}`);
  }
}
