/**
 * Warns when a command reads a different runtime log than the running collector writes, the
 * classic case being a system collector (writing `/var/log/beacon-agent/runtime.jsonl`) while the
 * CLI, run without `--policy`, reads the per-user default: every count would be zero and every
 * "last event" stale, with nothing to say why.
 *
 * @module
 */

import { normalize } from "../../host/file_path.ts";
import type { CollectorHealth } from "../../collector/collector_health.ts";

/** Input of {@link runtimeLogSourceWarning}. */
export interface RuntimeLogSourceInput {
  /** The running collector's `/healthz` answer; no collector, no warning. */
  health?: CollectorHealth;
  /** The runtime log this command reads. */
  readingPath: string;
  /**
   * Which of the endpoint's logs `readingPath` is, when the caller knows. Otherwise it is
   * recognised by the default paths (`.../.beacon/endpoint/logs/runtime.jsonl`,
   * `.../var/log/beacon-agent/runtime.jsonl`); any other path is a policy's own.
   */
  readingMode?: "user" | "system";
}

/**
 * A message for people when `readingPath` is not the log the running collector writes, naming
 * both paths and what to do; undefined when they match or no collector answered. Pure.
 *
 * @example
 * ```ts
 * import { runtimeLogSourceWarning } from "./runtime_log_source_warning.ts";
 * import type { CollectorHealth } from "../../collector/collector_health.ts";
 *
 * declare const health: CollectorHealth; // mode "system", runtime_log.path "/var/log/..."
 * runtimeLogSourceWarning({
 *   health,
 *   readingPath: "/home/ada/.beacon/endpoint/logs/runtime.jsonl",
 * });
 * // "A system collector is running and writes events to /var/log/beacon-agent/runtime.jsonl;
 * //  this command is reading your per-user log /home/ada/..., which receives nothing while the
 * //  system collector runs. ..."
 * ```
 */
export function runtimeLogSourceWarning(input: RuntimeLogSourceInput): string | undefined {
  const writing = input.health?.runtime_log?.path;
  if (!input.health || !writing) return undefined;
  if (samePath(writing, input.readingPath)) return undefined;
  const reading = input.readingPath;
  const readingMode = input.readingMode ?? defaultLogMode(reading);

  if (input.health.mode === "system" && readingMode !== "system") {
    const what = readingMode === "user" ? `your per-user log ${reading}` : reading;
    return `A system collector is running and writes events to ${writing}; this command is ` +
      `reading ${what}, which receives nothing while the system collector runs. Use --policy ` +
      `with the system policy, or read ${writing}.`;
  }
  if (input.health.mode === "user" && readingMode === "system") {
    return `A per-user collector is running and writes events to ${writing}; this command is ` +
      `reading the system log ${reading}, which receives nothing while the per-user collector ` +
      `runs. Use --policy with your own policy, or read ${writing}.`;
  }
  return `The running ${input.health.mode} collector writes events to ${writing}, but this ` +
    `command is reading ${reading}, which that collector does not write. It was started with ` +
    "another policy: pass that policy with --policy, or restart the collector with this one.";
}

function samePath(a: string, b: string): boolean {
  const clean = (path: string) => normalize(path).replace(/(.)\/+$/, "$1");
  return clean(a) === clean(b);
}

function defaultLogMode(path: string): "user" | "system" | undefined {
  const clean = normalize(path);
  if (clean.endsWith("/var/log/beacon-agent/runtime.jsonl")) return "system";
  if (clean.endsWith("/.beacon/endpoint/logs/runtime.jsonl")) return "user";
  return undefined;
}
