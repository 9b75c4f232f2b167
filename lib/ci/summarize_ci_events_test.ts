import assert from "node:assert/strict";
import { summarizeCiEvents } from "./summarize_ci_events.ts";
import { decideCiGates } from "./decide_ci_gates.ts";

const EVENTS = [
  { kind: "session_start", session_id: "s1", model: "m1" },
  { kind: "prompt", session_id: "s1" },
  { kind: "approval", session_id: "s1", approved: true },
  { kind: "approval", session_id: "s1", approved: false, decision: "abort" },
  { kind: "command_run", session_id: "s1", success: false },
  { kind: "file_change", session_id: "s1", success: true, path_count: 3 },
  { kind: "mcp_tool_call", session_id: "s2", success: true },
  {
    kind: "token_usage",
    session_id: "s1",
    model: "m1",
    input_tokens: 100,
    output_tokens: 7,
    cached_tokens: 50,
  },
  { kind: "token_usage", session_id: "s1", model: "m1", input_tokens: 200, output_tokens: 3 },
  {
    kind: "token_usage",
    session_id: "s2",
    model: "m2",
    input_tokens: 10,
    output_tokens: 1,
    reasoning_tokens: 4,
  },
];

Deno.test("summarizeCiEvents counts activity and tokens per session and per model", async () => {
  const summary = await summarizeCiEvents([
    ...EVENTS.map((event) => ({ event })),
    { error: "runtime.jsonl:11: not valid JSON" },
  ]);
  assert.equal(summary.events, 10);
  assert.equal(summary.unreadable_lines, 1);
  assert.deepEqual(summary.problems, ["runtime.jsonl:11: not valid JSON"]);
  assert.equal(summary.sessions, 2);
  assert.equal(summary.prompts, 1);
  assert.equal(summary.commands, 1);
  assert.equal(summary.file_changes, 1);
  assert.equal(summary.files_changed, 3);
  assert.equal(summary.mcp_calls, 1);
  assert.equal(summary.approvals, 1);
  assert.equal(summary.denials, 1, "abort is not an approval");
  assert.equal(summary.failures, 1);
  assert.deepEqual(summary.tokens, {
    responses: 3,
    input: 310,
    output: 11,
    cached: 50,
    reasoning: 4,
  });
  assert.deepEqual(summary.tokens_by_session, [
    {
      session_id: "s1",
      model: "m1",
      responses: 2,
      input: 300,
      output: 10,
      cached: 50,
      reasoning: 0,
    },
    { session_id: "s2", model: "m2", responses: 1, input: 10, output: 1, cached: 0, reasoning: 4 },
  ]);
  assert.deepEqual(summary.tokens_by_model.map((row) => [row.model, row.input]), [
    ["m1", 300],
    ["m2", 10],
  ]);
});

Deno.test("decideCiGates says what was expected and what was seen", async () => {
  const summary = await summarizeCiEvents(EVENTS.map((event) => ({ event })));
  const pass = decideCiGates(summary, {
    min_events: 10,
    require: ["session_start", "token_usage"],
    require_telemetry: true,
  });
  assert.equal(pass.failed, false);
  const fail = decideCiGates(summary, {
    min_events: 11,
    require: ["agent_response"],
    require_telemetry: true,
  });
  assert.deepEqual(fail.results, [
    { gate: "min-events", passed: false, expected: "at least 11 events", seen: "10" },
    {
      gate: "require agent_response",
      passed: false,
      expected: "at least 1 agent_response event",
      seen: "0",
    },
  ]);
  assert.equal(fail.fails_run, true);
  const warnOnly = decideCiGates(summary, {
    min_events: 11,
    require: [],
    require_telemetry: false,
  });
  assert.deepEqual([warnOnly.failed, warnOnly.fails_run], [true, false]);
});
