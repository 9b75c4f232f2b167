import { join } from "../host/file_path.ts";
import type { FileSystem } from "../reconcile/file_system.ts";
import type { EndpointPaths } from "./endpoint_paths.ts";

/**
 * What `beacon endpoint install` set up, kept in the endpoint state folder so that `status`,
 * `repair` and `uninstall` know what is Beacon's on this machine.
 */
export interface EndpointConfig {
  formatVersion: 1;
  mode: "user" | "system";
  /** Beacon's version that wrote this. */
  version: string;
  /** The policy the endpoint runs with: a path, or "built-in default". */
  policySource: string;
  /** Set when the policy was named explicitly (`--policy` or `$BEACON_POLICY`). */
  policyPath?: string;
  harnesses: string[];
  includeCodexSpans: boolean;
  /** `http://127.0.0.1:4318`: where the collector listens. */
  collectorUrl: string;
  runtimeLogPath: string;
  serviceManager: string;
}

/** `<state folder>/endpoint.json`. */
export function endpointConfigPath(paths: EndpointPaths): string {
  return join(paths.stateDir, "endpoint.json");
}

/** The endpoint configuration as written: stable key order, one trailing newline. */
export function renderEndpointConfig(config: EndpointConfig): string {
  return JSON.stringify(config, null, 2) + "\n";
}

/** Reads the endpoint configuration; undefined when the endpoint is not installed. */
export async function readEndpointConfig(
  fs: FileSystem,
  paths: EndpointPaths,
): Promise<EndpointConfig | undefined> {
  const path = endpointConfigPath(paths);
  const bytes = await fs.readFile(path);
  if (!bytes) return undefined;
  try {
    const config = JSON.parse(new TextDecoder().decode(bytes));
    if (config?.formatVersion === 1) return config;
  } catch {
    // fall through
  }
  throw new Error(
    `Cannot read "${path}": it is not an endpoint configuration of this Beacon version. ` +
      "Run `beacon endpoint repair` to write it again.",
  );
}
