/**
 * The runtime log is JSON, so the order of an event's fields is part of its output: every field
 * comes in the order of its interface in beacon_event.ts, absent fields are left out (never
 * present as undefined), and nothing else is added.
 */
import assert from "node:assert/strict";
import type { BeaconEvent, BeaconEventKind } from "../../events/beacon_event.ts";
import type { FlatValue } from "../../otlp/flatten_any_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import type { Policy } from "../../policy/policy_schema.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import {
  codexLogRecord,
  codexLogRuns,
  codexRunLogRecords,
  policyOf,
  policyWithEveryRule,
} from "./classify_test_fixtures.ts";

const BASE_FIELDS = [
  "schema_version",
  "id",
  "time",
  "harness",
  "harness_version",
  "kind",
  "session_id",
  "source_event",
  "model",
  "model_slug",
  "originator",
  "terminal",
  "environment",
  "user",
  "auth_mode",
  "trace_id",
  "span_id",
];

const TOOL_FIELDS = [
  "tool_name",
  "tool_namespace",
  "call_id",
  "sequence",
  "success",
  "duration_ms",
  "agent_name",
  "arguments",
  "output",
  "output_truncated",
];

const KIND_FIELDS: Partial<Record<BeaconEventKind, string[]>> = {
  session_start: [
    "provider",
    "reasoning_effort",
    "reasoning_summary",
    "approval_policy",
    "sandbox_policy",
    "mcp_servers",
    "mcp_server_count",
    "legacy_multi_agent_disabled_sources",
    "auth_env",
  ],
  prompt: [
    "prompt",
    "prompt_length",
    "source_redacted",
    "text_input_count",
    "image_input_count",
    "local_image_input_count",
  ],
  approval: ["tool_name", "tool_namespace", "call_id", "decision", "decided_by", "approved"],
  command_run: [...TOOL_FIELDS, "command", "workdir", "exit_code", "sandbox_permissions"],
  file_change: [
    ...TOOL_FIELDS,
    "path_count",
    "paths_mode",
    "paths",
    "paths_truncated",
    "operations",
  ],
  mcp_tool_call: [...TOOL_FIELDS, "mcp_server", "mcp_server_origin", "mcp_tool"],
  tool_result: TOOL_FIELDS,
  agent_response: [
    "response",
    "response_length",
    "response_truncated",
    "agent_type",
    "turn_id",
    "item_id",
    "root_turn_id",
  ],
  automated_review: [
    "review_id",
    "turn_id",
    "item_id",
    "status",
    "outcome",
    "risk_level",
    "user_authorization",
    "started_at_ms",
    "completed_at_ms",
    "duration_ms",
    "rationale",
    "rationale_length",
    "rationale_truncated",
  ],
  token_usage: [
    "input_tokens",
    "output_tokens",
    "cached_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "tool_tokens",
    "ttft_ms",
    "duration_ms",
  ],
};

const AUTH_ENV_FIELDS = [
  "openai_api_key_present",
  "codex_api_key_present",
  "codex_api_key_enabled",
  "provider_key_name",
  "provider_key_present",
  "refresh_token_url_override_present",
];

/** `value`'s keys are `order`'s, those present, in that order; none is undefined. */
function assertFieldOrder(value: object, order: readonly string[], label: string): void {
  const keys = Object.keys(value);
  assert.deepEqual(keys, order.filter((key) => Object.hasOwn(value, key)), label);
  for (const key of keys) {
    assert.notEqual((value as Record<string, unknown>)[key], undefined, `${label}: ${key}`);
  }
}

function assertEventFieldOrder(event: BeaconEvent, label: string): void {
  const kindFields = KIND_FIELDS[event.kind];
  assert.ok(kindFields, `${label}: a log event kind`);
  assertFieldOrder(event, [...BASE_FIELDS, ...kindFields], `${label} (${event.kind})`);
  if (event.user) assertFieldOrder(event.user, ["email", "account_id"], `${label} user`);
  if (event.kind === "session_start" && event.auth_env) {
    assertFieldOrder(event.auth_env, AUTH_ENV_FIELDS, `${label} auth_env`);
  }
}

const POLICIES: Array<[string, Policy]> = [
  ["default", policyOf()],
  ...(["keep", "redact", "hash", "drop"] as const).map((rule): [string, Policy] => [
    rule,
    policyWithEveryRule(rule),
  ]),
];

const receivedAt = new Date("2030-01-01T00:00:00Z");

Deno.test("events of the real captures have their fields in interface order", async () => {
  let seen = 0;
  for (const run of await codexLogRuns()) {
    for (const record of await codexRunLogRecords(run)) {
      for (const [name, policy] of POLICIES) {
        const event = classifyCodexLogRecord(record, { policy, receivedAt });
        if (event === undefined) continue;
        assertEventFieldOrder(event, `${run} under ${name}`);
        seen++;
      }
    }
  }
  assert.ok(seen > 100, `${seen} events`);
});

/** Every optional attribute Beacon reads, so that every optional field is present. */
const EVERYTHING: Record<string, FlatValue> = {
  "user.email": "Ada@Example.com",
  "user.account_id": "acct-1",
  auth_mode: "Chatgpt",
  call_id: "call_1",
  tool_result_seq: 2,
  "turn.id": "turn-1",
  "item.id": "item-1",
  "review.id": "review-1",
  "root.turn.id": "turn-0",
  "agent.type": "reviewer",
  provider_name: "OpenAI",
  reasoning_effort: "high",
  reasoning_summary: "auto",
  approval_policy: "never",
  sandbox_policy: "read-only",
  mcp_servers: "github, docs",
  mcp_server_count: "2",
  "config.legacy_multi_agent_disabled_sources": "none",
  "auth.env_openai_api_key_present": true,
  "auth.env_codex_api_key_present": "false",
  "auth.env_codex_api_key_enabled": false,
  "auth.env_provider_key_name": "configured",
  "auth.env_provider_key_present": true,
  "auth.env_refresh_token_url_override_present": false,
  prompt: "hello",
  prompt_length: 5,
  text_input_count: 1,
  image_input_count: 0,
  local_image_input_count: 0,
  tool_namespace: "functions",
  decision: "approved",
  source: "AutomatedReviewer",
  success: "true",
  duration_ms: "204",
  agent_name: "/root",
  output: "Process exited with code 0\nOutput:\nhi\n",
  output_truncated: false,
  mcp_server_origin: "https://mcp.example.com",
  response: "Done.",
  response_length: 5,
  response_truncated: false,
  status: "completed",
  outcome: "allow",
  risk_level: "low",
  user_authorization: "unknown",
  started_at_ms: 10,
  completed_at_ms: 25,
  rationale: "Harmless.",
  rationale_length: 9,
  rationale_truncated: false,
  "event.kind": "response.completed",
  input_token_count: 10,
  output_token_count: 2,
  cached_token_count: 1,
  cache_write_token_count: 0,
  reasoning_token_count: 1,
  tool_token_count: 12,
  ttft_ms: 5,
};

/** One record of each log event Beacon keeps (four for the kinds of tool call), full. */
const FULL_RECORDS: Array<[string, FlatLogRecord]> = ([
  ["codex.conversation_starts", {}],
  ["codex.user_prompt", {}],
  ["codex.tool_decision", { tool_name: "exec_command" }],
  [
    "codex.tool_result",
    {
      tool_name: "exec_command",
      arguments: '{"cmd":"echo hi","workdir":"/repo","sandbox_permissions":"require_escalated"}',
    },
  ],
  [
    "codex.tool_result",
    {
      tool_name: "apply_patch",
      arguments: '{"input":"*** Begin Patch\\n*** Add File: a.txt\\n+hi\\n*** End Patch"}',
    },
  ],
  ["codex.tool_result", { tool_name: "mcp__github__search", mcp_server: "github" }],
  ["codex.tool_result", { tool_name: "web_search", arguments: '{"q":"x"}' }],
  ["codex.agent_response", {}],
  ["codex.guardian_assessment", {}],
  ["codex.sse_event", {}],
] as Array<[string, Record<string, FlatValue>]>).map(([name, extra]) => [
  name,
  codexLogRecord({ ...EVERYTHING, ...extra, "event.name": name }, {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
  }),
]);

Deno.test("events with every optional field have them in interface order", () => {
  const kinds = new Set<string>();
  for (const [name, policy] of POLICIES) {
    for (const [eventName, record] of FULL_RECORDS) {
      const event = classifyCodexLogRecord(record, { policy, receivedAt });
      assert.ok(event, eventName);
      assertEventFieldOrder(event, `${eventName} under ${name}`);
      kinds.add(event.kind);
    }
  }
  assert.equal(kinds.size, 10, [...kinds].join(", "));
  const [, toolRecord] = FULL_RECORDS[3];
  const event = classifyCodexLogRecord(toolRecord, { policy: policyOf(), receivedAt })!;
  assert.deepEqual(Object.keys(event), [
    ...BASE_FIELDS,
    ...TOOL_FIELDS,
    "command",
    "workdir",
    "exit_code",
    "sandbox_permissions",
  ]);
});
