/**
 * Classifies every real Claude Code 2.1.328 capture in fixtures/claude-code-2.1.328/captures and
 * checks the events against what the capture README says each run sent.
 */
import assert from "node:assert/strict";
import type { BeaconEvent, BeaconEventKind, BeaconEventOfKind } from "../../events/beacon_event.ts";
import { isClaudeCodeService } from "./is_claude_code_service.ts";
import {
  classifyClaudeCodeRun,
  claudeCodePolicy,
  claudeCodeRun,
  claudeCodeRunLogRecords,
  claudeCodeRuns,
} from "../../../tests/support/claude_code_captures.ts";

const KEEP_ALL = claudeCodePolicy({
  content: { prompt: "keep", tool_arguments: "keep", tool_output: "keep", agent_response: "keep" },
});
const DROP_ALL = claudeCodePolicy({
  content: { prompt: "drop", tool_arguments: "drop", tool_output: "drop", agent_response: "drop" },
});
const MARKERS = ["PROMPT-MARKER-1234", "TOOL-OUTPUT-MARKER-5678", "AGENT-RESPONSE-MARKER-9012"];

function ofKind<K extends BeaconEventKind>(events: BeaconEvent[], kind: K): BeaconEventOfKind<K>[] {
  return events.filter((event) => event.kind === kind) as BeaconEventOfKind<K>[];
}

function countKinds(events: BeaconEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.kind] = (counts[event.kind] ?? 0) + 1;
  return counts;
}

Deno.test("every capture is Claude Code's by its resource's service.name", async () => {
  const runs = await claudeCodeRuns();
  assert.equal(runs.length, 13);
  for (const run of runs) {
    const records = await claudeCodeRunLogRecords(run);
    assert.ok(records.length > 0, run);
    for (const record of records) assert.ok(isClaudeCodeService(record.resource["service.name"]));
  }
});

Deno.test("a full run: prompt, approval, command, two answers, two requests' tokens and cost", async () => {
  const run = await claudeCodeRun("run1");
  const events = await classifyClaudeCodeRun(run, KEEP_ALL);
  assert.deepEqual(countKinds(events), {
    prompt: 1,
    approval: 1,
    command_run: 1,
    agent_response: 2,
    token_usage: 2,
  });
  const sessionIds = new Set(events.map((event) => event.session_id));
  assert.equal(sessionIds.size, 1);
  assert.match([...sessionIds][0]!, /^[0-9a-f-]{36}$/);
  assert.ok(events.every((event) => event.harness === "claude-code"));
  assert.ok(events.every((event) => event.harness_version === "2.1.328"));
  assert.equal(new Set(events.map((event) => event.id)).size, events.length);

  const [prompt] = ofKind(events, "prompt");
  assert.equal(prompt.prompt.text, "Please run the tests PROMPT-MARKER-1234");
  assert.equal(prompt.prompt_length, 39);
  assert.equal(prompt.source_redacted, undefined);

  const [approval] = ofKind(events, "approval");
  assert.equal(approval.tool_name, "Bash");
  assert.equal(approval.decision, "accept");
  assert.equal(approval.decided_by, "config");
  assert.equal(approval.approved, true);

  const [command] = ofKind(events, "command_run");
  assert.equal(command.call_id, approval.call_id);
  assert.equal(command.command?.text, "echo TOOL-OUTPUT-MARKER-5678");
  assert.equal(command.success, true);
  assert.equal(typeof command.duration_ms, "number");
  assert.equal(command.source_event, "claude_code.tool_result");

  const answers = ofKind(events, "agent_response").map((event) => event.response.text);
  assert.ok(answers.some((text) => text?.includes("AGENT-RESPONSE-MARKER-9012")), answers.join());

  const usage = ofKind(events, "token_usage");
  assert.ok(usage.every((event) => event.model === "claude-opus-5-5"));
  const first = usage.find((event) => event.output_tokens === 42)!;
  assert.equal(first.input_tokens, 1501);
  assert.equal(first.cached_tokens, 104);
  assert.equal(first.cache_write_tokens, 203);
  assert.equal(first.cost_usd, 0.0078798);
  assert.equal(typeof first.duration_ms, "number");
  assert.equal(typeof first.ttft_ms, "number");
});

Deno.test("the default policy keeps no prompt or answer; dropping all keeps no marker", async () => {
  for (const run of await claudeCodeRuns()) {
    const byDefault = JSON.stringify(await classifyClaudeCodeRun(run, claudeCodePolicy()));
    assert.ok(!byDefault.includes("PROMPT-MARKER-1234"), run);
    assert.ok(!byDefault.includes("AGENT-RESPONSE-MARKER-9012"), run);
    const dropped = JSON.stringify(await classifyClaudeCodeRun(run, DROP_ALL));
    for (const marker of MARKERS) assert.ok(!dropped.includes(marker), `${marker} in ${run}`);
  }
});

Deno.test("a prompt and answer Claude Code withheld are marked, never hashed or counted", async () => {
  const run = await claudeCodeRun("run2");
  const events = await classifyClaudeCodeRun(run, KEEP_ALL);
  const [prompt] = ofKind(events, "prompt");
  assert.deepEqual(prompt.prompt, { mode: "keep", bytes: 0 });
  assert.equal(prompt.source_redacted, true);
  assert.equal(prompt.prompt_length, 39);
  for (const answer of ofKind(events, "agent_response")) {
    assert.deepEqual(answer.response, { mode: "keep", bytes: 0 });
    assert.ok(answer.response_length! > 0);
  }
  const hashed = await classifyClaudeCodeRun(
    run,
    claudeCodePolicy({ content: { prompt: "hash" } }),
  );
  assert.deepEqual(ofKind(hashed, "prompt")[0].prompt, { mode: "hash", bytes: 0 });
});

Deno.test("a rejected tool call is an approval that is not approved, and no command", async () => {
  const events = await classifyClaudeCodeRun(await claudeCodeRun("run17"), KEEP_ALL);
  const [approval] = ofKind(events, "approval");
  assert.equal(approval.decision, "reject");
  assert.equal(approval.approved, false);
  assert.equal(ofKind(events, "command_run").length, 0);
});

Deno.test("an API error that outlived the retries is an api_error; internal_error is dropped", async () => {
  const events = await classifyClaudeCodeRun(await claudeCodeRun("run16"), KEEP_ALL);
  const errors = ofKind(events, "api_error");
  assert.equal(errors.length, 1);
  assert.equal(errors[0].status_code, 400);
  assert.equal(errors[0].error, "Mock injected error 400");
  assert.equal(errors[0].model, "claude-opus-5-5");
  assert.ok(!events.some((event) => event.source_event === "claude_code.internal_error"));
});

Deno.test("bypassPermissions, the 529 retry and gRPC runs give the same shape as run 1", async () => {
  for (const prefix of ["run14", "run15", "run12", "run3", "run6", "run8", "run9", "run18"]) {
    const events = await classifyClaudeCodeRun(await claudeCodeRun(prefix), KEEP_ALL);
    const kinds = countKinds(events);
    assert.equal(kinds.prompt, 1, prefix);
    assert.equal(kinds.command_run, 1, prefix);
    assert.equal(kinds.token_usage, 2, prefix);
  }
});

Deno.test("metrics and spans are recorded only when the policy includes them", async () => {
  const run = await claudeCodeRun("run4");
  const signals = ["logs", "traces", "metrics"] as const;
  const off = await classifyClaudeCodeRun(run, KEEP_ALL, signals);
  assert.equal(ofKind(off, "metric").length + ofKind(off, "span").length, 0);
  const on = await classifyClaudeCodeRun(
    run,
    claudeCodePolicy({
      harnesses: { "claude-code": { include_spans: true, include_metrics: true } },
    }),
    signals,
  );
  const metrics = ofKind(on, "metric");
  const spans = ofKind(on, "span");
  assert.ok(metrics.some((event) => event.metric.name === "claude_code.cost.usage"));
  assert.ok(spans.some((event) => event.span.name === "claude_code.interaction"));
  for (const event of [...metrics, ...spans]) {
    assert.equal(event.harness, "claude-code");
    assert.match(event.session_id ?? "", /^[0-9a-f-]{36}$/);
  }
  // The prompt inside the interaction span follows the prompt rule (drop by default).
  assert.ok(!JSON.stringify(spans).includes("PROMPT-MARKER-1234"));
});
