import type { CiSummary } from "./summarize_ci_events.ts";
import { parseCiRequirement } from "./parse_ci_requirement.ts";

/** The gates of a CI run (the policy's `[ci]` table with the flags applied). */
export interface CiGates {
  min_events: number;
  /** Event kinds the run must record: `token_usage` (any harness) or `claude-code:token_usage`. */
  require: string[];
  /** false: a failed gate is only a warning. */
  require_telemetry: boolean;
}

/** One gate's verdict. */
export interface CiGateResult {
  gate: string;
  passed: boolean;
  expected: string;
  /** The count, then (for `require`) the kind's count per harness that sent it: `0 (codex: 3)`. */
  seen: string;
  /** For `require`: how many events of the kind each harness sent (harnesses that sent none left out). */
  seen_by_harness?: Record<string, number>;
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
 * of each `require`d kind, from any harness (`token_usage`) or from the one named
 * (`claude-code:token_usage`). Each result says what was expected and what was seen, per harness.
 *
 * @example
 * ```ts
 * import type { CiSummary } from "./summarize_ci_events.ts";
 * declare const summary: CiSummary; // codex sent 3 token_usage events, claude-code none
 * const decision = decideCiGates(summary, { min_events: 1, require: ["claude-code:token_usage"], require_telemetry: true });
 * decision.results[1];
 * // { gate: "require claude-code:token_usage", passed: false,
 * //   expected: "at least 1 token_usage event from claude-code", seen: "0 (codex: 3)",
 * //   seen_by_harness: { codex: 3 } }
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
  for (const text of gates.require) {
    const parsed = parseCiRequirement(text);
    if (!parsed.ok) {
      // Only a hand-edited state.json gets here: the policy and the flags are checked before.
      results.push({ gate: `require ${text}`, passed: false, expected: parsed.problem, seen: "-" });
      continue;
    }
    const { kind, harness } = parsed.requirement;
    const byHarness: Record<string, number> = {};
    for (const own of summary.by_harness) {
      const count = own.by_kind[kind] ?? 0;
      if (count > 0) byHarness[own.harness] = count;
    }
    const seen = harness ? byHarness[harness] ?? 0 : summary.by_kind[kind] ?? 0;
    const breakdown = Object.entries(byHarness).map(([name, count]) => `${name}: ${count}`);
    results.push({
      gate: `require ${text}`,
      passed: seen > 0,
      expected: `at least 1 ${kind} event` + (harness ? ` from ${harness}` : ""),
      seen: `${seen}` + (breakdown.length ? ` (${breakdown.join(", ")})` : ""),
      seen_by_harness: byHarness,
    });
  }
  const failed = results.some((result) => !result.passed);
  return { results, failed, fails_run: failed && gates.require_telemetry };
}
