import type { BeaconEventCiRun } from "../events/beacon_event.ts";

/**
 * The events of one Export request with the CI run they were recorded in, as `ci`: the one
 * place a `beacon ci` run's collector labels what it writes, whichever harness (or other
 * service) sent it. An event that already names a run (forwarded by another Beacon, which
 * stamped it where it was recorded) keeps its own. Returns new objects; the classified events
 * are not changed.
 *
 * @example
 * ```ts
 * stampCiRun([{ kind: "prompt" }], { provider: "github-actions", run_id: "42" });
 * // [{ kind: "prompt", ci: { provider: "github-actions", run_id: "42" } }]
 * ```
 */
export function stampCiRun(events: readonly object[], ci: BeaconEventCiRun): object[] {
  return events.map((event) => "ci" in event ? event : { ...event, ci });
}
