import type { CiSummary } from "./summarize_ci_events.ts";

/** The gates of a CI run (the policy's `[ci]` table with the flags applied). */
export interface CiGates {
  min_events: number;
  require: string[];
  /** false: a failed gate is only a warning. */
  require_telemetry: boolean;
}

/** One gate's verdict. */
export interface CiGateResult {
  gate: string;
  passed: boolean;
  expected: string;
  seen: string;
}

/** Every gate's verdict, and what they mean for the exit code. */
export interface CiGateDecision {
  results: CiGateResult[];
  /** Some gate failed. */
  failed: boolean;
  /** A gate failed and `require_telemetry` is true: `ci finish` exits 3. */
  fails_run: boolean;
}

/**
 * Checks a run's summary against its gates: at least `min_events` events, and at least one event
 * of each `require`d kind. Each result says what was expected and what was seen.
 *
 * @example
 * ```ts
 * const decision = decideCiGates(summary, { min_events: 1, require: ["token_usage"], require_telemetry: true });
 * decision.results[1]; // { gate: "require token_usage", passed: false, expected: "at least 1 token_usage event", seen: "0" }
 * ```
 */
export function decideCiGates(summary: CiSummary, gates: CiGates): CiGateDecision {
  const results: CiGateResult[] = [];
  if (gates.min_events > 0) {
    results.push({
      gate: "min-events",
      passed: summary.events >= gates.min_events,
      expected: `at least ${gates.min_events} event${gates.min_events === 1 ? "" : "s"}`,
      seen: `${summary.events}`,
    });
  }
  for (const kind of gates.require) {
    const seen = summary.by_kind[kind] ?? 0;
    results.push({
      gate: `require ${kind}`,
      passed: seen > 0,
      expected: `at least 1 ${kind} event`,
      seen: `${seen}`,
    });
  }
  const failed = results.some((result) => !result.passed);
  return { results, failed, fails_run: failed && gates.require_telemetry };
}
