import assert from "node:assert/strict";
import { summarizeCiEvents } from "./summarize_ci_events.ts";
import { decideCiGates } from "./decide_ci_gates.ts";
import { renderCiSummaryMarkdown, renderCiSummaryText } from "./render_ci_summary.ts";

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
      harness: "unknown",
      session_id: "s1",
      model: "m1",
      responses: 2,
      input: 300,
      output: 10,
      cached: 50,
      reasoning: 0,
    },
    {
      harness: "unknown",
      session_id: "s2",
      model: "m2",
      responses: 1,
      input: 10,
      output: 1,
      cached: 0,
      reasoning: 4,
    },
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
      seen_by_harness: {},
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

/** One Codex session and one Claude Code session in the same run. */
const TWO_HARNESSES = [
  { harness: "codex", kind: "session_start", session_id: "c1", model: "gpt" },
  { harness: "codex", kind: "prompt", session_id: "c1" },
  { harness: "codex", kind: "command_run", session_id: "c1", success: true },
  {
    harness: "codex",
    kind: "token_usage",
    session_id: "c1",
    model: "gpt",
    input_tokens: 1000,
    output_tokens: 20,
  },
  { harness: "claude-code", kind: "prompt", session_id: "k1" },
  { harness: "claude-code", kind: "approval", session_id: "k1", approved: true },
  { harness: "claude-code", kind: "approval", session_id: "k1", approved: false },
  { harness: "claude-code", kind: "command_run", session_id: "k1", success: false },
  ...[0.01, 0.02].map((cost) => ({
    harness: "claude-code",
    kind: "token_usage",
    session_id: "k1",
    model: "claude-opus",
    input_tokens: 1501,
    output_tokens: 42,
    cached_tokens: 104,
    cache_write_tokens: 203,
    cost_usd: cost,
  })),
];

Deno.test("summarizeCiEvents counts each harness on its own; cost only where reported", async () => {
  const summary = await summarizeCiEvents(TWO_HARNESSES.map((event) => ({ event })));
  assert.equal(summary.sessions, 2);
  assert.equal(summary.commands, 2);
  assert.deepEqual(summary.tokens, {
    responses: 3,
    input: 4002,
    output: 104,
    cached: 208,
    reasoning: 0,
    cache_write: 406,
    cost_usd: 0.03,
  });
  const [codex, claude] = summary.by_harness;
  assert.deepEqual(
    [codex.harness, codex.events, codex.sessions, codex.prompts, codex.commands, codex.failures],
    ["codex", 4, 1, 1, 1, 0],
  );
  assert.equal(codex.tokens.cost_usd, undefined, "Codex reports no cost: none is made up");
  assert.deepEqual(
    [claude.harness, claude.events, claude.sessions, claude.approvals, claude.denials],
    ["claude-code", 6, 1, 1, 1],
  );
  assert.deepEqual([claude.failures, claude.tokens.responses, claude.tokens.cost_usd], [
    1,
    2,
    0.03,
  ]);
  assert.deepEqual(claude.by_kind, { prompt: 1, approval: 2, command_run: 1, token_usage: 2 });
  assert.deepEqual(
    summary.tokens_by_session.map((row) => [row.harness, row.session_id, row.input, row.cost_usd]),
    [["codex", "c1", 1000, undefined], ["claude-code", "k1", 3002, 0.03]],
  );
  assert.deepEqual(
    summary.tokens_by_model.map((row) => [row.harness, row.model, row.responses]),
    [["codex", "gpt", 1], ["claude-code", "claude-opus", 2]],
  );
});

Deno.test("the summary's views label each harness; a run of several has a total row", async () => {
  const summary = await summarizeCiEvents(TWO_HARNESSES.map((event) => ({ event })));
  const report = {
    summary,
    gates: decideCiGates(summary, { min_events: 0, require: [], require_telemetry: true }),
    context: { provider: "local" } as never,
    logPath: "/r/runtime.jsonl",
    warnings: [],
  };
  const markdown = renderCiSummaryMarkdown(report);
  assert.match(markdown, /^### Beacon: what Codex CLI and Claude Code did in this run$/m);
  assert.match(
    markdown,
    /^\| Codex CLI \| 1 \| 1 \| 1 \| 0 \| 0 \| 0 \| 0 \| 0 \| 1,000 \/ 20 \| — \|$/m,
  );
  assert.match(
    markdown,
    /^\| Claude Code \| 1 \| 1 \| 1 \| 0 \| 0 \| 1 \| 1 \| 1 \| 3,002 \/ 84 \| \$0\.0300 \|$/m,
  );
  assert.match(markdown, /^\| \*\*All\*\* \| 2 \| 2 \| 2 \|/m);
  assert.match(
    markdown,
    /^\| Claude Code \| `k1` \| claude-opus \| 2 \| 3,002 \| 208 \| 84 \| 0 \| \$0\.0300 \|$/m,
  );
  const text = renderCiSummaryText(report);
  assert.match(
    text,
    /^ {2}Claude Code: 6 events, 1 sessions, 1 prompts, 1 commands, .*\$0\.0300$/m,
  );
  assert.match(text, /^ {4}codex session c1: 1,000 in/m);
});
