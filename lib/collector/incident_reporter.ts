/** Reports one kind of incident: the first line of a burst is written, the rest are counted. */
export type ReportIncident = (kind: string, message: string) => void;

/**
 * An incident reporter for the collector's own output (`collector.log` under a service): the
 * first occurrence of each kind of incident is written as one line; later ones within `quietMs`
 * of the last line written for that kind are only counted, and the count is added to the next
 * line written for it. So a flood of the same fault (3,000 clients going away) costs one line a
 * minute, not a line (or a stack trace) each, and the output stays bounded however long the
 * collector runs.
 *
 * @example
 * ```ts
 * import { createIncidentReporter } from "./incident_reporter.ts";
 * const lines: string[] = [];
 * let now = 0;
 * const report = createIncidentReporter((line) => lines.push(line), () => now);
 * report("aborted", "a client went away");
 * report("aborted", "a client went away");
 * now = 61_000;
 * report("aborted", "a client went away");
 * // lines: ["a client went away", "a client went away (1 more since the last report)"]
 * ```
 */
export function createIncidentReporter(
  write: (line: string) => void,
  now: () => number = Date.now,
  quietMs = 60_000,
): ReportIncident {
  const kinds = new Map<string, { lastWrittenAt: number; suppressed: number }>();
  return (kind, message) => {
    const at = now();
    const seen = kinds.get(kind);
    if (seen && at - seen.lastWrittenAt < quietMs) {
      seen.suppressed++;
      return;
    }
    const more = seen?.suppressed ? ` (${seen.suppressed} more since the last report)` : "";
    kinds.set(kind, { lastWrittenAt: at, suppressed: 0 });
    write(message + more);
  };
}
