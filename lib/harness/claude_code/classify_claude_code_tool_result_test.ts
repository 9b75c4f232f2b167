import assert from "node:assert/strict";
import * as v from "valibot";
import { PolicySchema } from "../../policy/policy_schema.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import type { FlatValue } from "../../otlp/flatten_any_value.ts";
import { classifyClaudeCodeToolResult } from "./classify_claude_code_tool_result.ts";

function record(attributes: Record<string, FlatValue>): FlatLogRecord {
  return {
    timeUnixNano: 1796571678101000000n,
    observedTimeUnixNano: 1796571678101000000n,
    severityNumber: 0,
    severityText: "",
    body: "claude_code.tool_result",
    attributes: {
      "session.id": "cfbecd88-774e-4fec-936a-7216d43b854a",
      "event.timestamp": "2026-12-06T15:41:18.253Z",
      tool_use_id: "toolu_1",
      success: "true",
      duration_ms: "35",
      ...attributes,
    },
    resource: { "service.name": "claude-code", "service.version": "2.1.328" },
    scope: { name: "com.anthropic.claude_code.events", version: "2.1.328", attributes: {} },
    traceId: "",
    spanId: "",
    eventName: "",
  } as FlatLogRecord;
}

const context = (content: Record<string, string> = {}) => ({
  policy: v.parse(PolicySchema, { content }),
  receivedAt: new Date("2030-01-01T00:00:00Z"),
});

Deno.test("Edit, MultiEdit, Write and NotebookEdit are file changes with their path", () => {
  for (
    const [tool, input] of [
      ["Edit", { file_path: "/w/src/a.ts", old_string: "a", new_string: "b" }],
      ["MultiEdit", { file_path: "/w/src/a.ts", edits: [] }],
      ["Write", { file_path: "/w/src/a.ts", content: "x" }],
      ["NotebookEdit", { notebook_path: "/w/src/a.ts", new_source: "x" }],
    ] as const
  ) {
    const event = classifyClaudeCodeToolResult(
      record({ tool_name: tool, tool_input: JSON.stringify(input) }),
      context({ tool_arguments: "keep" }),
    );
    assert.equal(event.kind, "file_change", tool);
    if (event.kind !== "file_change") continue;
    assert.deepEqual(event.paths, ["/w/src/a.ts"]);
    assert.equal(event.path_count, 1);
    assert.deepEqual(event.operations, { add: 0, update: 1, delete: 0, move: 0 });
  }
});

Deno.test("a file path is hashed or dropped as the tool_arguments rule says", () => {
  const input = JSON.stringify({ file_path: "/home/ada/secret-project/a.ts", content: "x" });
  const hashed = classifyClaudeCodeToolResult(
    record({ tool_name: "Write", tool_input: input }),
    context({ tool_arguments: "hash" }),
  );
  assert.ok(!JSON.stringify(hashed).includes("secret-project"));
  const dropped = classifyClaudeCodeToolResult(
    record({ tool_name: "Write", tool_input: input }),
    context({ tool_arguments: "drop" }),
  );
  assert.ok(!JSON.stringify(dropped).includes("secret-project"));
  assert.equal(dropped.kind === "file_change" && dropped.path_count, 1);
});

Deno.test("mcp__server__tool is an MCP tool call; the parameters' names win when sent", () => {
  const byName = classifyClaudeCodeToolResult(
    record({ tool_name: "mcp__github__search_issues" }),
    context(),
  );
  assert.equal(byName.kind, "mcp_tool_call");
  assert.equal(byName.kind === "mcp_tool_call" && byName.mcp_server, "github");
  assert.equal(byName.kind === "mcp_tool_call" && byName.mcp_tool, "search_issues");
  const sent = classifyClaudeCodeToolResult(
    record({
      tool_name: "mcp__my_server__do_it",
      tool_parameters: JSON.stringify({ mcp_server_name: "my_server", mcp_tool_name: "do_it" }),
    }),
    context(),
  );
  assert.equal(sent.kind === "mcp_tool_call" && sent.mcp_server, "my_server");
});

Deno.test("a secret in a Bash command is scrubbed from the command and the arguments", () => {
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  const event = classifyClaudeCodeToolResult(
    record({
      tool_name: "Bash",
      tool_input: JSON.stringify({ command: `AWS_SECRET_ACCESS_KEY=${secret} aws s3 ls` }),
    }),
    context(),
  );
  assert.equal(event.kind, "command_run");
  assert.ok(!JSON.stringify(event).includes(secret));
  assert.match(event.kind === "command_run" ? event.command?.text ?? "" : "", /aws s3 ls/);
});

Deno.test("other tools are tool results; strings become numbers and booleans", () => {
  const event = classifyClaudeCodeToolResult(
    record({ tool_name: "Read", success: "false", duration_ms: "7" }),
    context(),
  );
  assert.equal(event.kind, "tool_result");
  assert.equal(event.success, false);
  assert.equal(event.duration_ms, 7);
  assert.equal(event.call_id, "toolu_1");
});
