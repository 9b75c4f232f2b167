/**
 * The destinations section of `endpoint status`: lines for people and problems (exit 3).
 *
 * @module
 */
import type { Policy } from "../policy/policy_schema.ts";
import type { DestinationStatus } from "./start_forwarder.ts";

/** What `endpoint status` prints about forwarding, and what needs attention. */
export interface DestinationsReport {
  destinations: DestinationStatus[];
  lines: string[];
  problems: string[];
}

/**
 * Reads the `forwarding` member of the collector's `/healthz` (absent when the collector is not
 * running or forwards nowhere) against the policy's destinations. A destination failing for
 * longer than `forwarding.failing_after_seconds`, or one that lost events (dropped by rotation,
 * refused by the gateway), is a problem. Pure.
 */
export function describeDestinations(
  policy: Policy,
  health: unknown,
  now: Date,
): DestinationsReport {
  if (policy.destinations.length === 0) return { destinations: [], lines: [], problems: [] };
  const forwarding = (health as { forwarding?: { destinations?: DestinationStatus[] } } | null)
    ?.forwarding;
  const destinations = forwarding?.destinations ?? [];
  const lines: string[] = [];
  const problems: string[] = [];
  for (const wanted of policy.destinations) {
    const status = destinations.find((d) => d.name === wanted.name);
    if (!status) {
      lines.push(`  ${wanted.name}: no status (the collector is not running or predates it)`);
      continue;
    }
    lines.push(
      `  ${status.name}: ${status.state}, ${status.lag_events} event(s) behind` +
        (status.lag_seconds ? ` (${status.lag_seconds} s)` : "") +
        `, last success ${status.last_success_at ?? "never"} -> ${status.endpoint}`,
    );
    if (status.last_error) {
      lines.push(`    last error ${status.last_error.at}: ${status.last_error.message}`);
    }
    const lost = status.dropped + status.rejected + status.partially_rejected;
    if (lost) {
      lines.push(
        `    not delivered: ${status.dropped} dropped by rotation, ${status.rejected} refused, ` +
          `${status.partially_rejected} rejected in partial successes`,
      );
    }
    const since = status.failing_since ? Date.parse(status.failing_since) : NaN;
    const failingFor = Number.isFinite(since) ? (now.getTime() - since) / 1000 : 0;
    if (failingFor > policy.forwarding.failing_after_seconds) {
      problems.push(
        `forwarding to ${status.name} has failed for ${Math.round(failingFor)} s ` +
          `(more than forwarding.failing_after_seconds = ${policy.forwarding.failing_after_seconds}): ` +
          `${status.last_error?.message ?? "no error recorded"}`,
      );
    }
    if (status.dropped) {
      problems.push(
        `forwarding to ${status.name} dropped ${status.dropped} undelivered event(s) at rotation: ` +
          "raise forwarding.max_undelivered_archives or fix the gateway",
      );
    }
  }
  return { destinations, lines, problems };
}
