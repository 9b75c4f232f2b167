import assert from "node:assert/strict";
import { hashContent } from "../../content/hash_content.ts";
import { BEACON_EVENT_KINDS, type BeaconEvent } from "../../events/beacon_event.ts";
import type { FlatValue } from "../../otlp/flatten_any_value.ts";
import type { Policy } from "../../policy/policy_schema.ts";
import { classifyCodexLogRecord, CODEX_LOG_EVENTS } from "./classify_codex_log_record.ts";
import {
  assertValidBeaconEvent,
  codexLogRecord,
  policyOf,
  policyWithEveryRule,
} from "./classify_test_fixtures.ts";

const DEFAULT_POLICY = policyOf();
const RECEIVED_AT = new Date("2030-01-01T00:00:00Z");

function classify(
  attributes: Record<string, FlatValue>,
  policy: Policy = DEFAULT_POLICY,
): BeaconEvent | undefined {
  const event = classifyCodexLogRecord(codexLogRecord(attributes), {
    policy,
    receivedAt: RECEIVED_AT,
  });
  if (event !== undefined) assertValidBeaconEvent(event);
  return event;
}

function classifyKind<K extends BeaconEvent["kind"]>(
  kind: K,
  attributes: Record<string, FlatValue>,
  policy?: Policy,
): Extract<BeaconEvent, { kind: K }> {
  const event = classify(attributes, policy);
  assert.equal(event?.kind, kind, JSON.stringify(event));
  return event as Extract<BeaconEvent, { kind: K }>;
}

// --- the drop table ---

Deno.test("operational events, unknown events and records without event.name are dropped", () => {
  for (const name of ["codex.api_request", "codex.turn_ttft", "codex.startup_phase"]) {
    assert.equal(CODEX_LOG_EVENTS[name].action, "drop");
    assert.equal(classify({ "event.name": name, duration_ms: "37" }), undefined, name);
  }
  assert.equal(classify({ "event.name": "codex.something_new", prompt: "hi" }), undefined);
  assert.equal(classify({ "event.name": "toString" }), undefined);
  assert.equal(classify({}), undefined);
  assert.equal(
    classifyCodexLogRecord(
      { ...codexLogRecord({}), attributes: {}, body: "flushing OTEL metrics" },
      { policy: DEFAULT_POLICY, receivedAt: RECEIVED_AT },
    ),
    undefined,
  );
});

Deno.test("the table only names kinds of the schema", () => {
  for (const rule of Object.values(CODEX_LOG_EVENTS)) {
    if (rule.action === "keep") {
      for (const kind of rule.kinds) assert.ok(BEACON_EVENT_KINDS.includes(kind), kind);
    }
  }
});

Deno.test("sse events: only response.completed with token counts becomes token_usage", () => {
  const sse = (attributes: Record<string, FlatValue>) =>
    classify({ "event.name": "codex.sse_event", ...attributes });
  assert.equal(sse({ "event.kind": "response.output_text.delta", duration_ms: "0" }), undefined);
  assert.equal(sse({ "event.kind": "response.created" }), undefined);
  assert.equal(sse({ "event.kind": "response.completed", duration_ms: "0" }), undefined);
  const usage = sse({
    "event.kind": "response.completed",
    input_token_count: "1230",
    output_token_count: "25",
    cached_token_count: 615,
    cache_write_token_count: 0,
    reasoning_token_count: 3,
    tool_token_count: "1255",
    ttft_ms: 0,
  });
  assert.ok(usage?.kind === "token_usage");
  assert.deepEqual(
    [usage.input_tokens, usage.output_tokens, usage.cached_tokens, usage.cache_write_tokens],
    [1230, 25, 615, 0],
  );
  assert.deepEqual([usage.reasoning_tokens, usage.tool_tokens, usage.ttft_ms], [3, 1255, 0]);
  assert.equal(usage.model, "mock-model");
});

// --- approvals ---

Deno.test("approval: every decision kept as sent; approved only for approved*", () => {
  const cases: [string, boolean][] = [
    ["approved", true],
    ["approved_for_session", true],
    ["approved_execpolicy_amendment", true],
    ["denied", false],
    ["abort", false],
    ["timed_out", false],
    ["something_new", false],
  ];
  for (const [decision, approved] of cases) {
    const event = classifyKind("approval", {
      "event.name": "codex.tool_decision",
      tool_name: "exec_command",
      tool_namespace: "functions",
      call_id: "call_7",
      decision,
      source: "User",
    });
    assert.equal(event.decision, decision);
    assert.equal(event.approved, approved, decision);
    assert.equal(event.decided_by, "user");
    assert.equal(event.call_id, "call_7");
  }
});

Deno.test("approval: decided_by is the source in snake_case; a missing decision is not approved", () => {
  const by = (source: string) =>
    classifyKind("approval", { "event.name": "codex.tool_decision", decision: "approved", source })
      .decided_by;
  assert.equal(by("Config"), "config");
  assert.equal(by("AutomatedReviewer"), "automated_reviewer");
  assert.equal(by("user"), "user");
  const bare = classifyKind("approval", { "event.name": "codex.tool_decision" });
  assert.deepEqual([bare.decision, bare.approved, bare.tool_name, bare.call_id], [
    null,
    false,
    null,
    null,
  ]);
  assert.equal("decided_by" in bare, false);
});

// --- prompts ---

Deno.test("prompt: text under each rule; Codex's placeholder is source_redacted", () => {
  const text = "Deploy with DB_PASSWORD=hunter2 please";
  const prompt = (rule: string, value: string) =>
    classifyKind("prompt", {
      "event.name": "codex.user_prompt",
      prompt: value,
      prompt_length: "38",
    }, policyOf({ content: { prompt: rule } }));
  assert.deepEqual(prompt("keep", text).prompt, { mode: "keep", bytes: 38, text });
  assert.deepEqual(prompt("redact", text).prompt, {
    mode: "redact",
    bytes: 38,
    text: "Deploy with DB_PASSWORD=[REDACTED:secret] please",
    redactions: 1,
  });
  assert.deepEqual(prompt("hash", text).prompt, {
    mode: "hash",
    bytes: 38,
    sha256: hashContent(text),
  });
  assert.deepEqual(prompt("drop", text).prompt, { mode: "drop", bytes: 38 });
  assert.equal(prompt("drop", text).prompt_length, 38);
  assert.equal("source_redacted" in prompt("keep", text), false);
  for (const rule of ["keep", "redact", "hash", "drop"]) {
    const withheld = prompt(rule, "[REDACTED]");
    assert.deepEqual(withheld.prompt, { mode: rule, bytes: 0 });
    assert.equal(withheld.source_redacted, true);
  }
  const missing = classifyKind("prompt", { "event.name": "codex.user_prompt" });
  assert.equal(missing.source_redacted, true);
});

// --- tool results ---

const TOOL_RESULT = {
  "event.name": "codex.tool_result",
  tool_result_seq: 3,
  tool_namespace: "functions",
  call_id: "call_9",
  duration_ms: "204",
  success: "true",
  output_truncated: false,
  agent_name: "/root",
  mcp_server: "",
  mcp_server_origin: "",
};

Deno.test("command_run: exec_command with typed fields, command, workdir and exit code", () => {
  const event = classifyKind("command_run", {
    ...TOOL_RESULT,
    tool_name: "exec_command",
    arguments: JSON.stringify({ cmd: "npm test", workdir: "/repo", yield_time_ms: 2000 }),
    output: "Chunk ID: 1\nWall time: 1.2 seconds\nProcess exited with code 1\nOutput:\nFAIL\n",
  }, policyWithEveryRule("keep"));
  assert.equal(event.tool_name, "exec_command");
  assert.equal(event.sequence, 3);
  assert.equal(event.success, true);
  assert.equal(event.duration_ms, 204);
  assert.equal(event.output_truncated, false);
  assert.equal(event.agent_name, "/root");
  assert.equal(event.exit_code, 1);
  assert.equal(event.command?.text, "npm test");
  assert.equal(event.workdir?.text, "/repo");
  assert.equal(event.arguments?.text, '{"cmd":"npm test","workdir":"/repo","yield_time_ms":2000}');
  assert.equal(event.output?.mode, "keep");
  assert.equal("mcp_server" in event, false, "empty mcp_server is not an MCP call");
});

Deno.test("command_run: shell argv is quoted; under drop only lengths remain", () => {
  const event = classifyKind("command_run", {
    ...TOOL_RESULT,
    tool_name: "shell",
    success: "false",
    arguments: JSON.stringify({ command: ["bash", "-lc", "rm -rf build"], workdir: "/repo" }),
    output: "Exit code: 2\nWall time: 0.1 seconds\nOutput:\nnope\n",
  }, policyWithEveryRule("drop"));
  assert.deepEqual(event.command, { mode: "drop", bytes: "bash -lc 'rm -rf build'".length });
  assert.deepEqual(event.workdir, { mode: "drop", bytes: 5 });
  assert.equal(event.exit_code, 2);
  assert.equal(event.success, false);
});

Deno.test("file_change: apply_patch paths and operations under each rule", () => {
  const patch = [
    "*** Begin Patch",
    "*** Add File: docs/new.md",
    "+hello",
    "*** Update File: src/app.ts",
    "@@",
    "-a",
    "+b",
    "*** Move to: src/main.ts",
    "*** Delete File: old/ghp_abcdefghijklmnopqrstuvwxyz0123456789.txt",
    "*** End Patch",
  ].join("\n");
  const change = (rule: string) =>
    classifyKind("file_change", {
      ...TOOL_RESULT,
      tool_name: "apply_patch",
      arguments: JSON.stringify({ input: patch }),
      output: "Success. Updated the following files:\nA docs/new.md\n",
    }, policyOf({ content: { tool_arguments: rule } }));
  const kept = change("keep");
  assert.deepEqual(kept.paths, [
    "docs/new.md",
    "src/app.ts",
    "src/main.ts",
    "old/ghp_abcdefghijklmnopqrstuvwxyz0123456789.txt",
  ]);
  assert.deepEqual(kept.operations, { add: 1, update: 1, delete: 1, move: 1 });
  assert.equal(kept.path_count, 4);
  assert.equal(kept.paths_mode, "keep");
  const redacted = change("redact");
  assert.equal(redacted.paths?.[3], "old/[REDACTED:github-token].txt");
  assert.ok(!JSON.stringify(redacted).includes("ghp_abcdefghij"));
  assert.deepEqual(change("hash").paths, kept.paths?.map(hashContent));
  const dropped = change("drop");
  assert.equal("paths" in dropped, false);
  assert.equal(dropped.path_count, 4);
  assert.equal(dropped.arguments?.mode, "drop");
});

Deno.test("file_change: a shell tool running apply_patch is a file change too", () => {
  const event = classifyKind("file_change", {
    ...TOOL_RESULT,
    tool_name: "shell",
    arguments: JSON.stringify({
      command: [
        "apply_patch",
        "*** Begin Patch\n*** Update File: a.py\n@@\n-x\n+y\n*** End Patch\n",
      ],
    }),
  });
  assert.deepEqual(event.paths, ["a.py"]);
  const heredoc = classifyKind("file_change", {
    ...TOOL_RESULT,
    tool_name: "exec_command",
    arguments: JSON.stringify({
      cmd: "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: b.txt\n+1\n*** End Patch\nEOF",
    }),
  });
  assert.deepEqual(heredoc.paths, ["b.txt"]);
  assert.deepEqual(heredoc.operations, { add: 1, update: 0, delete: 0, move: 0 });
});

Deno.test("mcp_tool_call: server, origin and tool; arguments scrubbed as JSON", () => {
  const event = classifyKind("mcp_tool_call", {
    ...TOOL_RESULT,
    tool_name: "mcp__github__search_issues",
    tool_namespace: "mcp__github",
    mcp_server: "github",
    mcp_server_origin: "https://api.example.com/mcp",
    arguments: JSON.stringify({
      query: "is:open",
      token: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    }),
    output: "[]",
  });
  assert.equal(event.mcp_server, "github");
  assert.equal(event.mcp_tool, "search_issues");
  assert.equal(event.mcp_server_origin, "https://api.example.com/mcp");
  assert.equal(event.arguments?.mode, "redact");
  assert.ok(!event.arguments?.text?.includes("ghp_"));
  assert.equal(event.arguments?.redactions, 1);
});

Deno.test("tool_result: any other tool, with typed fields", () => {
  const event = classifyKind("tool_result", {
    ...TOOL_RESULT,
    tool_name: "update_plan",
    success: false,
    duration_ms: 3,
    arguments: '{"plan":[]}',
    output: "Plan updated",
  });
  assert.deepEqual(
    [event.tool_name, event.success, event.duration_ms, event.output?.mode],
    ["update_plan", false, 3, "drop"],
  );
  const bare = classifyKind("tool_result", { "event.name": "codex.tool_result" });
  assert.deepEqual([bare.tool_name, bare.call_id, bare.success, bare.duration_ms], [
    null,
    null,
    null,
    null,
  ]);
  assert.equal("arguments" in bare || "output" in bare, false);
});

// --- responses, reviews, sessions ---

Deno.test("agent_response and automated_review follow the agent_response rule", () => {
  const policy = policyOf({ content: { agent_response: "keep" } });
  const response = classifyKind("agent_response", {
    "event.name": "codex.agent_response",
    "agent.type": "main",
    "turn.id": "t1",
    "item.id": "msg_1",
    "root.turn.id": "t1",
    response: "All tests pass.",
    response_length: "15",
    response_truncated: false,
  }, policy);
  assert.deepEqual(response.response, { mode: "keep", bytes: 15, text: "All tests pass." });
  assert.deepEqual([response.agent_type, response.turn_id, response.item_id], [
    "main",
    "t1",
    "msg_1",
  ]);
  assert.equal(response.response_length, 15);
  const review = classifyKind("automated_review", {
    "event.name": "codex.guardian_assessment",
    "review.id": "r1",
    status: "approved",
    outcome: "allow",
    risk_level: "low",
    user_authorization: "high",
    started_at_ms: 1795606985488,
    completed_at_ms: "1795606985580",
    rationale: "Looks safe.",
    rationale_length: 11,
    rationale_truncated: "false",
  });
  assert.deepEqual(review.rationale, { mode: "drop", bytes: 11 });
  assert.deepEqual([review.outcome, review.duration_ms, review.rationale_truncated], [
    "allow",
    92,
    false,
  ]);
});

Deno.test("session_start: settings normalised, credentials only as flags", () => {
  const event = classifyKind("session_start", {
    "event.name": "codex.conversation_starts",
    provider_name: "OpenAI",
    reasoning_effort: "high",
    reasoning_summary: "auto",
    approval_policy: "on-request",
    sandbox_policy: "workspace-write",
    mcp_servers: "codex_apps, github",
    "config.legacy_multi_agent_disabled_sources": "none",
    "auth.env_openai_api_key_present": "true",
    "auth.env_provider_key_present": false,
    "auth.env_provider_key_name": "configured",
  });
  assert.equal(event.provider, "OpenAI");
  assert.equal(event.reasoning_effort, "high");
  assert.deepEqual(event.mcp_servers, ["codex_apps", "github"]);
  assert.deepEqual(event.auth_env, {
    openai_api_key_present: true,
    provider_key_name: "configured",
    provider_key_present: false,
  });
});

// --- common fields ---

Deno.test("time: event.timestamp, else observed time, else time, else the receive time", () => {
  const at = (attributes: Record<string, FlatValue>, fields: Record<string, bigint>) =>
    classifyCodexLogRecord(
      codexLogRecord({ "event.name": "codex.user_prompt", ...attributes }, fields),
      { policy: DEFAULT_POLICY, receivedAt: RECEIVED_AT },
    )?.time;
  assert.equal(at({}, {}), "2026-11-25T11:42:42.500Z");
  assert.equal(at({ "event.timestamp": null }, {}), "2026-11-25T11:42:42.500Z");
  assert.equal(
    at({ "event.timestamp": "garbage" }, { observedTimeUnixNano: 1_700_000_000_123_456_789n }),
    "2023-11-14T22:13:20.123Z",
  );
  assert.equal(
    at({ "event.timestamp": null }, { observedTimeUnixNano: 0n, timeUnixNano: 1_000_000_000n }),
    "1970-01-01T00:00:01.000Z",
  );
  assert.equal(
    at({ "event.timestamp": null }, { observedTimeUnixNano: 0n }),
    "2030-01-01T00:00:00.000Z",
  );
});

Deno.test("user: the identity rule applies; no identity, no user field", () => {
  const identity = { "user.email": "Ada@Example.com", "user.account_id": "acct-42" };
  const user = (rule: string) =>
    classify(
      { "event.name": "codex.user_prompt", ...identity },
      policyOf({ content: { identity: rule } }),
    )?.user;
  assert.deepEqual(user("keep"), {
    email: { mode: "keep", bytes: 15, text: "Ada@Example.com" },
    account_id: { mode: "keep", bytes: 7, text: "acct-42" },
  });
  assert.deepEqual(user("redact")?.email, {
    mode: "redact",
    bytes: 15,
    text: "***@example.com",
    redactions: 1,
  });
  assert.equal(user("hash")?.email?.sha256, hashContent("ada@example.com"));
  assert.deepEqual(user("drop"), {
    email: { mode: "drop", bytes: 15 },
    account_id: { mode: "drop", bytes: 7 },
  });
  assert.equal(classify({ "event.name": "codex.user_prompt" })?.user, undefined);
});

Deno.test("id: same record, same id; another call, sequence or time, another id; content plays no part", () => {
  const base = { ...TOOL_RESULT, tool_name: "exec_command", arguments: '{"cmd":"ls"}' };
  const id = (attributes: Record<string, FlatValue>, policy?: Policy) =>
    classify(attributes, policy)?.id;
  assert.equal(id(base), id({ ...base }));
  assert.equal(id(base), id(base, policyWithEveryRule("keep")));
  assert.equal(id(base), id({ ...base, arguments: '{"cmd":"rm -rf /"}', output: "other" }));
  assert.notEqual(id(base), id({ ...base, call_id: "call_10" }));
  assert.notEqual(id(base), id({ ...base, tool_result_seq: 4 }));
  assert.notEqual(id(base), id({ ...base, "conversation.id": "another" }));
  assert.notEqual(id(base), id({ ...base, "event.timestamp": "2026-11-25T11:42:42.501Z" }));
});

Deno.test("trace context is carried when the record has one", () => {
  const event = classifyCodexLogRecord(
    codexLogRecord({ "event.name": "codex.user_prompt" }, {
      traceId: "ab".repeat(16),
      spanId: "cd".repeat(8),
    }),
    { policy: DEFAULT_POLICY, receivedAt: RECEIVED_AT },
  );
  assert.equal(event?.trace_id, "ab".repeat(16));
  assert.equal(event?.span_id, "cd".repeat(8));
});
