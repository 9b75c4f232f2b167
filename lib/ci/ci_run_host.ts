import type { Host } from "../host/host.ts";

/**
 * The host a CI run's harnesses are planned against: the runner's, with each harness's folder
 * variable (`CODEX_HOME`, `CLAUDE_CONFIG_DIR`) pointing into the run's base folder, so every
 * adapter finds its run config where the harness will look for it.
 *
 * @example
 * ```ts
 * const host = { home: "/home/runner", cwd: "/w", systemRoot: "/", os: "linux", env: {}, now: () => new Date() };
 * ciRunHost(host, [["CLAUDE_CONFIG_DIR", "/tmp/run/claude-config"]]).env.CLAUDE_CONFIG_DIR; // "/tmp/run/claude-config"
 * ```
 */
export function ciRunHost(host: Host, homes: Iterable<[variable: string, folder: string]>): Host {
  return { ...host, env: { ...host.env, ...Object.fromEntries(homes) } };
}
