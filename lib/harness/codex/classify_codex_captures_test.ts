/**
 * Classifies every real Codex 0.169 capture in fixtures/codex-0.169/runs and checks the events
 * against what CATALOGUE.md says each run sent.
 */
import assert from "node:assert/strict";
import type { BeaconEvent, BeaconEventKind, BeaconEventOfKind } from "../../events/beacon_event.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import {
  assertValidBeaconEvent,
  classifyCodexRun,
  codexLogRuns,
  codexRunLogRecords,
  policyOf,
  policyWithEveryRule,
} from "./classify_test_fixtures.ts";

const DEFAULT_POLICY = policyOf();
const runs = await codexLogRuns();

/** CATALOGUE.md's "Log records per event.name per run" table: run -> event.name -> count. */
function catalogueEventCounts(): Map<string, Map<string, number>> {
  const catalogue = Deno.readTextFileSync(
    new URL("../../../fixtures/codex-0.169/CATALOGUE.md", import.meta.url),
  );
  const section = catalogue.split("\n## ").find((part) => part.startsWith("Log records per"));
  assert.ok(section);
  const rows = section.split("\n").filter((line) => line.startsWith("|"))
    .map((line) => line.slice(1, -1).split("|").map((cell) => cell.trim()));
  const [header, , ...body] = rows;
  return new Map(body.map((cells) => [
    cells[0],
    new Map(header.slice(1).map((name, i) => [name, Number(cells[i + 1] || 0)])),
  ]));
}

function ofKind<K extends BeaconEventKind>(events: BeaconEvent[], kind: K): BeaconEventOfKind<K>[] {
  return events.filter((event) => event.kind === kind) as BeaconEventOfKind<K>[];
}

function countKinds(events: BeaconEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[event.kind] = (counts[event.kind] ?? 0) + 1;
  return counts;
}

Deno.test("the fixtures hold the runs these tests rely on", () => {
  for (
    const run of ["02-http-binary-logs", "15-approve-for-me-deny", "24-synthetic-chatgpt-auth-json"]
  ) {
    assert.ok(runs.includes(run), `${run} in ${runs.join(", ")}`);
  }
});

Deno.test("every run gives the kinds CATALOGUE.md predicts from its event names", async () => {
  const catalogue = catalogueEventCounts();
  for (const run of runs) {
    const names = catalogue.get(run);
    assert.ok(names, `CATALOGUE.md lists ${run}`);
    const records = await codexRunLogRecords(run);
    const completedWithUsage = records.filter((r) =>
      r.attributes["event.name"] === "codex.sse_event" &&
      r.attributes["event.kind"] === "response.completed" &&
      r.attributes["input_token_count"] !== undefined
    ).length;
    const events = await classifyCodexRun(run, DEFAULT_POLICY);
    const expected: Record<string, number> = {
      session_start: names.get("codex.conversation_starts") ?? 0,
      prompt: names.get("codex.user_prompt") ?? 0,
      approval: names.get("codex.tool_decision") ?? 0,
      // Every captured tool call is exec_command.
      command_run: names.get("codex.tool_result") ?? 0,
      agent_response: names.get("codex.agent_response") ?? 0,
      automated_review: names.get("codex.guardian_assessment") ?? 0,
      token_usage: completedWithUsage,
    };
    for (const [kind, n] of Object.entries(expected)) {
      if (n === 0) {
        delete expected[kind];
      }
    }
    assert.deepEqual(countKinds(events), expected, run);
    assert.ok(completedWithUsage >= 1, `${run} has token usage`);
    assert.ok(expected.session_start >= 1 && expected.prompt >= 1 && expected.command_run >= 1);
  }
});

Deno.test("approval decisions are kept as sent: denied by the automated reviewer (run 15)", async () => {
  const [approval] = ofKind(
    await classifyCodexRun("15-approve-for-me-deny", DEFAULT_POLICY),
    "approval",
  );
  assert.equal(approval.decision, "denied");
  assert.equal(approval.decided_by, "automated_reviewer");
  assert.equal(approval.approved, false);
  assert.equal(approval.tool_name, "exec_command");
  assert.equal(approval.call_id, "call_mock_1");
});

Deno.test("approval decisions are kept as sent: approved by config (run 02)", async () => {
  const [approval] = ofKind(
    await classifyCodexRun("02-http-binary-logs", DEFAULT_POLICY),
    "approval",
  );
  assert.equal(approval.decision, "approved");
  assert.equal(approval.decided_by, "config");
  assert.equal(approval.approved, true);
});

Deno.test("the automated review of run 15 denies with a high risk; its rationale is dropped", async () => {
  const events = await classifyCodexRun("15-approve-for-me-deny", DEFAULT_POLICY);
  const [review] = ofKind(events, "automated_review");
  assert.equal(review.outcome, "deny");
  assert.equal(review.status, "denied");
  assert.equal(review.risk_level, "high");
  assert.equal(review.item_id, "call_mock_1");
  assert.equal(review.duration_ms, 79);
  assert.deepEqual(review.rationale, { mode: "drop", bytes: 51 });
  // The denied command failed, with no exit code: it never ran.
  const [run] = ofKind(events, "command_run");
  assert.equal(run.success, false);
  assert.equal(run.exit_code, undefined);
  assert.equal(run.sandbox_permissions, "require_escalated");
});

Deno.test("commands that ran have their exit code, duration and success as typed values", async () => {
  for (const run of runs.filter((r) => r !== "15-approve-for-me-deny")) {
    const [command] = ofKind(await classifyCodexRun(run, DEFAULT_POLICY), "command_run");
    assert.equal(command.exit_code, 0, run);
    assert.equal(command.success, true, run);
    assert.equal(typeof command.duration_ms, "number", run);
    assert.equal(command.command?.mode, "redact");
    assert.equal(command.command?.text, "echo TOOL-OUTPUT-MARKER-5678", run);
    assert.equal(command.output?.mode, "drop");
  }
});

Deno.test("token usage numbers are numbers, one event per completed response", async () => {
  const usage = ofKind(
    await classifyCodexRun("15-approve-for-me-deny", DEFAULT_POLICY),
    "token_usage",
  );
  assert.deepEqual(
    usage.map(({ input_tokens, output_tokens, cached_tokens, reasoning_tokens, tool_tokens }) => ({
      input_tokens,
      output_tokens,
      cached_tokens,
      reasoning_tokens,
      tool_tokens,
    })),
    [
      {
        input_tokens: 1210,
        output_tokens: 25,
        cached_tokens: 605,
        reasoning_tokens: 3,
        tool_tokens: 1235,
      },
      {
        input_tokens: 1220,
        output_tokens: 30,
        cached_tokens: 610,
        reasoning_tokens: 3,
        tool_tokens: 1250,
      },
      {
        input_tokens: 1230,
        output_tokens: 40,
        cached_tokens: 615,
        reasoning_tokens: 3,
        tool_tokens: 1270,
      },
    ],
  );
  for (const run of runs) {
    for (const event of ofKind(await classifyCodexRun(run, DEFAULT_POLICY), "token_usage")) {
      for (
        const field of [
          "input_tokens",
          "output_tokens",
          "cached_tokens",
          "reasoning_tokens",
          "tool_tokens",
        ] as const
      ) {
        assert.equal(typeof event[field], "number", `${run} ${field}`);
      }
      assert.equal(event.model, "mock-model");
      assert.ok(event.session_id);
    }
  }
});

Deno.test("each event's time is its record's event.timestamp", async () => {
  for (const run of runs) {
    for (const record of await codexRunLogRecords(run)) {
      const event = classifyCodexLogRecord(record, {
        policy: DEFAULT_POLICY,
        receivedAt: new Date(0),
      });
      if (event === undefined) continue;
      const timestamp = normaliseString(record.attributes["event.timestamp"]);
      assert.ok(timestamp, `${run} ${event.source_event} has event.timestamp`);
      assert.equal(event.time, new Date(timestamp).toISOString());
      assert.match(event.time, /^2026-11-25T\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  }
});

Deno.test("ids are stable across classifications and receive times, and unique per run", async () => {
  for (const run of runs) {
    const first = await classifyCodexRun(run, DEFAULT_POLICY, ["logs"], new Date(0));
    const again = await classifyCodexRun(run, policyWithEveryRule("keep"), ["logs"], new Date());
    assert.deepEqual(first.map((e) => e.id), again.map((e) => e.id), run);
    assert.equal(new Set(first.map((e) => e.id)).size, first.length, `${run}: ids unique`);
    for (const event of first) assert.match(event.id, /^[0-9a-f]{32}$/);
  }
});

Deno.test("common fields: harness, version, session, model, environment, originator", async () => {
  for (const run of runs) {
    for (const event of await classifyCodexRun(run, DEFAULT_POLICY)) {
      assert.equal(event.schema_version, 1);
      assert.equal(event.harness, "codex");
      assert.equal(event.harness_version, "0.169.0");
      assert.match(event.session_id ?? "", /^[0-9a-f-]{36}$/);
      assert.match(event.source_event, /^codex\./);
      assert.equal(event.originator, "codex_exec");
      assert.equal(event.terminal, "xterm");
      assert.ok(event.environment);
    }
  }
});

Deno.test("a ChatGPT login's identity is hashed by default (run 24)", async () => {
  const events = await classifyCodexRun("24-synthetic-chatgpt-auth-json", DEFAULT_POLICY);
  assert.ok(events.length > 0);
  for (const event of events) {
    assert.equal(event.auth_mode, "Chatgpt");
    assert.equal(event.user?.email?.mode, "hash");
    assert.equal(event.user?.account_id?.mode, "hash");
    assert.match(event.user?.email?.sha256 ?? "", /^[0-9a-f]{64}$/);
  }
  for (const event of await classifyCodexRun("02-http-binary-logs", DEFAULT_POLICY)) {
    assert.equal("user" in event, false, "no identity sent, no user field");
  }
});

Deno.test("every event of every run validates against the schema, under every rule", async () => {
  for (
    const policy of [
      DEFAULT_POLICY,
      policyWithEveryRule("keep"),
      policyWithEveryRule("redact"),
      policyWithEveryRule("hash"),
      policyWithEveryRule("drop", {
        harnesses: { codex: { include_spans: true, include_metrics: true } },
      }),
    ]
  ) {
    for (const run of runs) {
      const signals = policy.harnesses.codex.include_spans
        ? ["logs", "traces", "metrics"] as const
        : ["logs"] as const;
      for (const event of await classifyCodexRun(run, policy, signals)) {
        assertValidBeaconEvent(event);
      }
    }
  }
});
