/**
 * The runtime-log source warning for the dashboard, computed as `beacon endpoint status` does:
 * ask the collector at the policy's address which log it writes, and compare.
 *
 * @module
 */

import { probeCollector } from "../endpoint/probe/probe_collector.ts";
import { runtimeLogSourceWarning } from "../endpoint/probe/runtime_log_source_warning.ts";

/**
 * A function that gives the warning for `logPath` (undefined when the collector writes it, or
 * none answers).
 *
 * @example
 * ```ts
 * import { checkRuntimeLogSource } from "./check_runtime_log_source.ts";
 * const check = checkRuntimeLogSource({
 *   collectorUrl: "http://127.0.0.1:4318",
 *   logPath: "/home/ada/.beacon/endpoint/logs/runtime.jsonl",
 *   readingMode: "user",
 * });
 * await check(); // "A system collector is running and writes events to ..." or undefined
 * ```
 */
export function checkRuntimeLogSource(options: {
  collectorUrl: string;
  token?: string;
  logPath: string;
  /** Which endpoint log `logPath` is, when known (not for `--log`). */
  readingMode?: "user" | "system";
}): () => Promise<string | undefined> {
  return async () => {
    const probe = await probeCollector(options.collectorUrl, { token: options.token });
    return runtimeLogSourceWarning({
      health: probe.health,
      readingPath: options.logPath,
      readingMode: options.readingMode,
    });
  };
}
