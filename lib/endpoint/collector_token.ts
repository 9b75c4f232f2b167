/**
 * The machine's collector token, for endpoints whose policy sets no `collector.token`: made by
 * `endpoint install`, replaced by `endpoint repair --rotate-token`, kept in one 0600 file
 * (`EndpointPaths.tokenPath`) that the collector service reads with `--token-file`, and sent
 * by Codex in its exporter headers. Never printed.
 *
 * @module
 */
import type { LoadedPolicy } from "../policy/load_policy.ts";
import type { Policy } from "../policy/policy_schema.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";

/** 32 random bytes from the platform's CSPRNG as base64url without padding (43 characters). */
export function generateCollectorToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The token file's text for `token` (one line, as `collector run --token-file` reads it). */
export function renderCollectorTokenFile(token: string): string {
  return `${token}\n`;
}

/** The token file exists but this user may not read it (a system endpoint's is root's). */
export class CollectorTokenUnreadableError extends Error {
  constructor(readonly path: string, options: ErrorOptions) {
    super(
      `Cannot read the collector token "${path}": only its owner may. Run the command as ` +
        "that user (with sudo for a system endpoint).",
      options,
    );
    // Named "Error" on purpose: the CLI prints an Error's message as written for people
    // (`endpoint repair` without sudo), where another name would read as a bug.
  }
}

/**
 * The generated token in `path`, or undefined when there is none (not installed, or the
 * policy's token is used). Throws {@link CollectorTokenUnreadableError} when the file exists
 * but this user may not read it (a system endpoint's token is root's).
 */
export async function readCollectorToken(
  fs: FileSystem,
  path: string,
): Promise<string | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new CollectorTokenUnreadableError(path, { cause: error });
    }
    throw error;
  }
  if (!bytes) return undefined;
  const token = new TextDecoder().decode(bytes).replace(/\r?\n$/, "");
  return token || undefined;
}

/**
 * The token the endpoint's collector requires: the policy's `collector.token` when it sets one,
 * else the machine's generated token (if installed).
 */
export async function endpointCollectorToken(
  policy: Policy,
  fs: FileSystem,
  paths: EndpointPaths,
): Promise<string | undefined> {
  return policy.collector.token ?? await readCollectorToken(fs, paths.tokenPath);
}

/**
 * The loaded policy as `beacon apply` must plan with it: unchanged, unless the policy sets no
 * token and the endpoint generated one, which Codex's headers must keep carrying (without it,
 * apply would take the header away and the collector would refuse Codex).
 */
export async function withEndpointToken(
  loaded: LoadedPolicy,
  fs: FileSystem,
  paths: EndpointPaths,
): Promise<LoadedPolicy> {
  if (loaded.policy.collector.token) return loaded;
  const token = await readCollectorToken(fs, paths.tokenPath);
  if (!token) return loaded;
  const collector = { ...loaded.policy.collector, token };
  return { ...loaded, policy: { ...loaded.policy, collector } };
}
