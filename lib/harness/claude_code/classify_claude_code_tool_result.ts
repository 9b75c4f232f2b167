import { applyContentRule } from "../../content/apply_content_rule.ts";
import { applyPathRule } from "../../events/apply_path_rule.ts";
import type {
  CommandRunEvent,
  FileChangeEvent,
  McpToolCallEvent,
  PatchOperations,
  ToolResultEvent,
} from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyClaudeCodeCommonFields } from "./classify_claude_code_common_fields.ts";

/** The events a `claude_code.tool_result` record can become. */
export type ClaudeCodeToolEvent =
  | CommandRunEvent
  | FileChangeEvent
  | McpToolCallEvent
  | ToolResultEvent;

/** Claude Code's shell tool. */
const SHELL_TOOLS: ReadonlySet<string> = new Set(["Bash"]);

/**
 * Claude Code's file-writing tools and the input key naming the file. `Write` may create or
 * overwrite: Claude Code does not say which, so it counts as an update.
 */
const FILE_TOOLS: Readonly<Record<string, string>> = {
  Edit: "file_path",
  MultiEdit: "file_path",
  Write: "file_path",
  NotebookEdit: "notebook_path",
};

/** `mcp__<server>__<tool>`: how Claude Code names an MCP server's tool. */
const MCP_TOOL = /^mcp__(.+?)__(.+)$/;

/**
 * A tool event from a `claude_code.tool_result` record, by tool name:
 *
 * - `command_run` for `Bash`, with `command` (its input's `command`, else the parameters'
 *   `full_command`) after the `tool_arguments` rule;
 * - `file_change` for `Edit`, `MultiEdit`, `Write` and `NotebookEdit`, with the file's path
 *   after the `tool_arguments` rule (see `applyPathRule`) and one updated file;
 * - `mcp_tool_call` for `mcp__<server>__<tool>`, with `mcp_server` and `mcp_tool`;
 * - `tool_result` for anything else (`Read`, `Grep`, `WebFetch`, `Agent`, ...).
 *
 * Every kind carries `tool_name`, `tool_use_id` as `call_id`, `success` and `duration_ms`
 * (both sent as strings) and, when Claude Code sent them (`OTEL_LOG_TOOL_DETAILS`), the tool's
 * input as `arguments` through the `tool_arguments` rule (JSON, so secrets in its strings are
 * scrubbed). Claude Code never sends the tool's output in its logs.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.tool_result",
 *   attributes: { tool_name: "Bash", tool_use_id: "toolu_1", success: "true", duration_ms: "35",
 *     tool_input: '{"command":"npm test"}' },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyClaudeCodeToolResult(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event.kind; // "command_run"
 * event.duration_ms; // 35
 * ```
 */
export function classifyClaudeCodeToolResult(
  record: FlatLogRecord,
  context: ClassifyContext,
): ClaudeCodeToolEvent {
  const attributes = record.attributes;
  const content = context.policy.content;
  const maxFieldBytes = content.max_field_bytes;
  const argumentsRule = content.tool_arguments;
  const toolName = normaliseString(attributes["tool_name"])?.trim() ?? null;
  const inputText = normaliseString(attributes["tool_input"], { allowEmpty: true });
  const parametersText = normaliseString(attributes["tool_parameters"], { allowEmpty: true });
  const input = jsonObject(inputText);
  const parameters = jsonObject(parametersText);
  const mcp = toolName === null ? null : MCP_TOOL.exec(toolName);
  const kind: ClaudeCodeToolEvent["kind"] = mcp
    ? "mcp_tool_call"
    : toolName !== null && SHELL_TOOLS.has(toolName)
    ? "command_run"
    : toolName !== null && Object.hasOwn(FILE_TOOLS, toolName)
    ? "file_change"
    : "tool_result";
  const event = classifyClaudeCodeCommonFields(record, context, kind) as ClaudeCodeToolEvent;
  event.tool_name = toolName;
  event.call_id = normaliseString(attributes["tool_use_id"]) ?? null;
  event.success = normaliseBoolean(attributes["success"]) ?? null;
  event.duration_ms = normaliseNumber(attributes["duration_ms"]) ?? null;
  const argumentsText = inputText ?? parametersText;
  if (argumentsText !== undefined) {
    event.arguments = applyContentRule(argumentsText, argumentsRule, { maxFieldBytes, json: true });
  }
  switch (event.kind) {
    case "command_run": {
      const command = stringField(input, "command") ?? stringField(parameters, "full_command");
      if (command !== undefined) {
        event.command = applyContentRule(command, argumentsRule, { maxFieldBytes });
      }
      break;
    }
    case "file_change": {
      const key = FILE_TOOLS[toolName!];
      const path = stringField(input, key) ?? stringField(parameters, key);
      const paths = applyPathRule(path === undefined ? [] : [path], argumentsRule, maxFieldBytes);
      event.path_count = paths.path_count;
      event.paths_mode = paths.paths_mode;
      if (paths.paths !== undefined) event.paths = paths.paths;
      if (paths.paths_truncated !== undefined) event.paths_truncated = paths.paths_truncated;
      const operations: PatchOperations = { add: 0, update: 0, delete: 0, move: 0 };
      if (path !== undefined) operations.update = 1;
      event.operations = operations;
      break;
    }
    case "mcp_tool_call": {
      event.mcp_server = stringField(parameters, "mcp_server_name") ?? mcp![1];
      event.mcp_tool = stringField(parameters, "mcp_tool_name") ?? mcp![2];
      break;
    }
  }
  return event;
}

function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function stringField(
  object: Record<string, unknown> | undefined,
  key: string,
): string | undefined {
  const value = object?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
