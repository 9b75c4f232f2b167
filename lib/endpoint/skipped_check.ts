/**
 * A check `endpoint status` or `doctor` could not run because a file it needs cannot be read by
 * the user running it (a system endpoint's state is root's): reported as not checked, never as
 * a failure, and left out of the exit code.
 *
 * @module
 */

/** One check that was not run, and why. */
export interface SkippedCheck {
  /** What was not checked, for people: `the collector accepts the token`. */
  check: string;
  /** Why: `/var/lib/beacon-agent/collector.token is readable by root only`. */
  reason: string;
}

/** True when `error` (or what it wraps) is the system refusing to read a file. */
export function isPermissionDenied(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (e instanceof Deno.errors.PermissionDenied) return true;
  }
  return false;
}

/**
 * The skipped checks for people: a heading that says how to run them, then one line each with
 * why it was skipped. Empty when none.
 *
 * @example
 * ```ts
 * import { describeSkippedChecks } from "./skipped_check.ts";
 * describeSkippedChecks([{ check: "the token", reason: "root's" }], "system");
 * // ["Not checked without root (run with sudo to check these):", "  - the token: root's"]
 * ```
 */
export function describeSkippedChecks(
  skipped: readonly SkippedCheck[],
  mode: "user" | "system",
): string[] {
  if (!skipped.length) return [];
  return [
    mode === "system"
      ? "Not checked without root (run with sudo to check these):"
      : "Not checked (run as the endpoint's owner to check these):",
    ...skipped.map((skip) => `  - ${skip.check}: ${skip.reason}`),
  ];
}
