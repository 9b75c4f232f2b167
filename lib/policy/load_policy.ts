import defaultPolicyText from "../../policies/default.toml" with { type: "text" };
import type { Host } from "../host/host.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import { endpointPaths } from "../endpoint/endpoint_paths.ts";
import { parsePolicy } from "./parse_policy.ts";
import type { Policy } from "./policy_schema.ts";

/** A policy and where it came from, so every command can say which one it used. */
export interface LoadedPolicy {
  policy: Policy;
  /** A path, or `built-in default`. */
  source: string;
  /** Why this source was chosen. */
  origin: "--policy" | "BEACON_POLICY" | "user" | "system" | "built-in";
}

/** The built-in default policy's text (embedded in the binary). */
export const DEFAULT_POLICY_TEXT: string = defaultPolicyText;

/**
 * Finds and reads the policy: `--policy PATH`, else `$BEACON_POLICY`, else the user's
 * (`~/.beacon/policy.toml`) and then the system's (`/etc/beacon/policy.toml`) policy file, else
 * the built-in default (with `system`, the user's file is skipped). An explicitly named file that
 * is missing is an error; the user and system files are simply skipped when absent. Files are
 * read through `fs` (the System's).
 *
 * @throws {PolicyError} when the chosen file is invalid, or an Error when it cannot be read.
 */
export async function loadPolicy(
  { host, fs }: { host: Host; fs: FileSystem },
  explicitPath?: string,
  options: { system?: boolean } = {},
): Promise<LoadedPolicy> {
  const paths = endpointPaths("user", host);
  const candidates: Array<{ path: string; origin: LoadedPolicy["origin"]; required: boolean }> = [];
  if (explicitPath) candidates.push({ path: explicitPath, origin: "--policy", required: true });
  else if (host.env.BEACON_POLICY) {
    candidates.push({ path: host.env.BEACON_POLICY, origin: "BEACON_POLICY", required: true });
  } else {
    // A machine-wide (system) endpoint must not be steered by one user's policy file.
    if (!options.system) {
      candidates.push({ path: paths.userPolicyPath, origin: "user", required: false });
    }
    candidates.push({ path: paths.systemPolicyPath, origin: "system", required: false });
  }
  for (const candidate of candidates) {
    const text = await readPolicyText(fs, candidate.path, candidate.required, candidate.origin);
    if (text === undefined) continue;
    return {
      policy: parsePolicy(text, candidate.path),
      source: candidate.path,
      origin: candidate.origin,
    };
  }
  return {
    policy: parsePolicy(DEFAULT_POLICY_TEXT, "built-in default"),
    source: "built-in default",
    origin: "built-in",
  };
}

async function readPolicyText(
  fs: FileSystem,
  path: string,
  required: boolean,
  origin: string,
): Promise<string | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new Error(
        `Cannot read policy "${path}" (from ${origin}): permission denied. ` +
          `Check the file's permissions or run as a user who can read it.`,
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new Error(`Cannot read policy "${path}" (from ${origin}): it is a folder, not a file.`);
    }
    throw new Error(`Cannot read policy "${path}" (from ${origin}): ${(error as Error).message}`);
  }
  if (bytes === undefined && required) {
    throw new Error(`Cannot read policy "${path}" (from ${origin}): no such file.`);
  }
  return bytes && new TextDecoder().decode(bytes);
}
