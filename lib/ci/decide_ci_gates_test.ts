import assert from "node:assert/strict";
import { decideCiGates } from "./decide_ci_gates.ts";
import { summarizeCiEvents } from "./summarize_ci_events.ts";

/** Codex reported its session and three responses' tokens; Claude Code only its session. */
const summary = await summarizeCiEvents(
  [
    { harness: "codex", kind: "session_start", session_id: "c1" },
    { harness: "codex", kind: "token_usage", session_id: "c1", input_tokens: 1 },
    { harness: "codex", kind: "token_usage", session_id: "c1", input_tokens: 1 },
    { harness: "codex", kind: "token_usage", session_id: "c1", input_tokens: 1 },
    { harness: "claude-code", kind: "session_start", session_id: "k1" },
  ].map((event) => ({ event })),
);

Deno.test("decideCiGates: a HARNESS:KIND requirement counts only that harness's events", () => {
  const decision = decideCiGates(summary, {
    min_events: 0,
    require: ["codex:token_usage", "claude-code:session_start", "claude-code:token_usage"],
    require_telemetry: true,
  });
  assert.deepEqual(decision.results, [
    {
      gate: "require codex:token_usage",
      passed: true,
      expected: "at least 1 token_usage event from codex",
      seen: "3 (codex: 3)",
      seen_by_harness: { codex: 3 },
    },
    {
      gate: "require claude-code:session_start",
      passed: true,
      expected: "at least 1 session_start event from claude-code",
      seen: "1 (codex: 1, claude-code: 1)",
      seen_by_harness: { codex: 1, "claude-code": 1 },
    },
    {
      gate: "require claude-code:token_usage",
      passed: false,
      expected: "at least 1 token_usage event from claude-code",
      seen: "0 (codex: 3)",
      seen_by_harness: { codex: 3 },
    },
  ]);
  assert.deepEqual([decision.failed, decision.fails_run], [true, true]);
});

Deno.test("decideCiGates: a plain KIND is satisfied by any harness, and says which sent it", () => {
  const decision = decideCiGates(summary, {
    min_events: 0,
    require: ["token_usage"],
    require_telemetry: true,
  });
  assert.equal(decision.failed, false);
  assert.equal(decision.results[0].seen, "3 (codex: 3)");
});

Deno.test("decideCiGates: an entry that is no requirement (a hand-edited state) fails its gate", () => {
  const decision = decideCiGates(summary, {
    min_events: 0,
    require: ["claude:token_usage"],
    require_telemetry: true,
  });
  assert.equal(decision.results[0].passed, false);
  assert.match(decision.results[0].expected, /unknown harness "claude"/);
});
