/**
 * The dashboard's fixture log: the real Codex 0.169 captures classified by Beacon's own
 * classifier, each run under a different content policy, so the log holds kept, redacted, hashed
 * and dropped content side by side, as a real machine's log would after policy changes.
 *
 * @module
 */
import type { BeaconEvent } from "../../../lib/events/beacon_event.ts";
import {
  classifyCodexRun,
  codexLogRecord,
  policyOf,
  policyWithEveryRule,
} from "../../../lib/harness/codex/classify_test_fixtures.ts";
import { classifyCodexLogRecord } from "../../../lib/harness/codex/classify_codex_log_record.ts";
import type { FlatValue } from "../../../lib/otlp/flatten_any_value.ts";

/** Runs and the policy each is classified under. */
const RUNS: { run: string; policy: () => ReturnType<typeof policyOf> }[] = [
  { run: "02-http-binary-logs", policy: () => policyWithEveryRule("redact") },
  { run: "03-http-json-logs", policy: () => policyWithEveryRule("keep") },
  { run: "06-http-binary-all-prompt-false", policy: () => policyWithEveryRule("drop") },
  { run: "15-approve-for-me-deny", policy: () => policyWithEveryRule("redact") },
  { run: "24-synthetic-chatgpt-auth-json", policy: () => policyWithEveryRule("hash") },
  { run: "25-volume-400-deltas", policy: () => policyOf({}) },
];

let events: Promise<BeaconEvent[]> | undefined;

/** Every event of the fixture runs, in time order (classified once per process). */
export function fixtureEvents(): Promise<BeaconEvent[]> {
  events ??= (async () => {
    const all: BeaconEvent[] = [];
    for (const { run, policy } of RUNS) all.push(...await classifyCodexRun(run, policy()));
    all.push(...syntheticSession());
    return all.sort((a, b) => a.time.localeCompare(b.time));
  })();
  return events;
}

/** The fixture log as JSONL text (one event a line, newline-terminated). */
export async function fixtureLogText(): Promise<string> {
  return (await fixtureEvents()).map((event) => JSON.stringify(event) + "\n").join("");
}

/** The session id of {@link syntheticSession}. */
export const SYNTHETIC_SESSION = "01a21290-aaaa-7bbb-8ccc-0123456789ab";

/**
 * A session with what the captures lack (a file change, an MCP call, a failed command whose
 * arguments held a secret, output cut to `max_field_bytes`), built from Codex-shaped log records
 * by the real classifier under a redacting policy.
 */
export function syntheticSession(): BeaconEvent[] {
  const policy = policyOf({
    content: {
      prompt: "keep",
      tool_arguments: "redact",
      tool_output: "redact",
      max_field_bytes: 200,
    },
  });
  const at = (second: number) => `2026-11-26T09:15:${String(second).padStart(2, "0")}.000Z`;
  const record = (second: number, attributes: Record<string, FlatValue>) =>
    classifyCodexLogRecord(
      codexLogRecord({
        "event.timestamp": at(second),
        "conversation.id": SYNTHETIC_SESSION,
        model: "gpt-5-codex",
        slug: "gpt-5-codex",
        ...attributes,
      }, { observedTimeUnixNano: BigInt(Date.parse(at(second))) * 1_000_000n }),
      { policy, receivedAt: new Date(at(second)) },
    )!;
  const tool = {
    "event.name": "codex.tool_result",
    tool_namespace: "functions",
    duration_ms: "120",
    output_truncated: false,
    agent_name: "/root",
    mcp_server: "",
    mcp_server_origin: "",
  };
  const patch =
    "*** Begin Patch\n*** Add File: docs/notes.md\n+hello\n*** Update File: src/app.ts\n" +
    "@@\n-a\n+b\n*** End Patch";
  return [
    record(1, {
      "event.name": "codex.conversation_starts",
      provider_name: "OpenAI",
      approval_policy: "on-request",
      sandbox_policy: "workspace-write",
      mcp_servers: "github",
    }),
    record(2, {
      "event.name": "codex.user_prompt",
      prompt: "Fix the failing test in src/app.ts",
      prompt_length: 34,
    }),
    record(3, {
      ...tool,
      tool_result_seq: 1,
      call_id: "call_s1",
      tool_name: "exec_command",
      success: "false",
      arguments: JSON.stringify({
        cmd: "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 npm test",
        workdir: "/home/ada/projects/shop",
      }),
      output: "Chunk ID: 1\nWall time: 1.2 seconds\nProcess exited with code 1\nOutput:\n" +
        "FAIL src/app.test.ts\n".repeat(30),
    }),
    record(4, {
      "event.name": "codex.tool_decision",
      tool_name: "apply_patch",
      call_id: "call_s2",
      decision: "approved",
      source: "user",
    }),
    record(5, {
      ...tool,
      tool_result_seq: 2,
      call_id: "call_s2",
      tool_name: "apply_patch",
      success: "true",
      arguments: JSON.stringify({ input: patch }),
      output: "Success. Updated the following files:\nA docs/notes.md\nM src/app.ts\n",
    }),
    record(6, {
      ...tool,
      tool_result_seq: 3,
      call_id: "call_s3",
      tool_name: "mcp__github__search_issues",
      tool_namespace: "mcp__github",
      mcp_server: "github",
      mcp_server_origin: "stdio",
      success: "true",
      arguments: JSON.stringify({ query: "is:open label:bug" }),
      output: "[]",
    }),
    record(7, {
      "event.name": "codex.tool_decision",
      tool_name: "exec_command",
      call_id: "call_s4",
      decision: "denied",
      source: "user",
    }),
  ];
}
