import { applyContentRule } from "../../content/apply_content_rule.ts";
import { scrubSecrets } from "../../content/scrub_secrets.ts";
import { applyPathRule } from "../../events/apply_path_rule.ts";
import type {
  CommandRunEvent,
  FileChangeEvent,
  McpToolCallEvent,
  ToolResultEvent,
} from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import {
  classifyApplyPatch,
  codexApplyPatchText,
  shellApplyPatchText,
} from "./classify_apply_patch.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";
import { classifyExitCode } from "./classify_exit_code.ts";
import {
  classifyShellArguments,
  CODEX_SHELL_TOOLS,
  type ShellArguments,
} from "./classify_shell_arguments.ts";

/** The events a `codex.tool_result` record can become. */
export type CodexToolEvent = CommandRunEvent | FileChangeEvent | McpToolCallEvent | ToolResultEvent;

/** The kinds a `codex.tool_result` record can become, decided by {@link codexToolEventKind}. */
export type CodexToolEventKind = CodexToolEvent["kind"];

/**
 * Which kind of event a tool call is, first match wins:
 * 1. `mcp_tool_call` when Codex names an MCP server (`mcp_server` not empty);
 * 2. `file_change` for `apply_patch`, and for a shell tool running `apply_patch`;
 * 3. `command_run` for a shell tool ({@link CODEX_SHELL_TOOLS});
 * 4. `tool_result` for anything else.
 *
 * @example
 * ```ts
 * codexToolEventKind("exec_command", undefined, '{"cmd":"ls"}'); // "command_run"
 * codexToolEventKind("search", "github", "{}"); // "mcp_tool_call"
 * ```
 */
export function codexToolEventKind(
  toolName: string | null,
  mcpServer: string | undefined,
  argumentsText: string | undefined,
): CodexToolEventKind {
  if (mcpServer !== undefined) return "mcp_tool_call";
  if (codexApplyPatchText(toolName, argumentsText) !== undefined) return "file_change";
  if (toolName !== null && CODEX_SHELL_TOOLS.has(toolName)) return "command_run";
  return "tool_result";
}

/**
 * A tool event from a `codex.tool_result` record: `command_run`, `file_change`,
 * `mcp_tool_call` or `tool_result` ({@link codexToolEventKind}). Every kind carries the tool's
 * name, call id, success, duration, the full `arguments` through the `tool_arguments` rule (as
 * JSON, so secrets inside JSON strings are scrubbed) and the `output` through the `tool_output`
 * rule. On top of that:
 *
 * - `command_run`: `command` and `workdir` (tool_arguments rule), `exit_code` read from the
 *   output's header, `sandbox_permissions`;
 * - `file_change`: the touched paths (tool_arguments rule, see `applyPathRule`), `path_count`
 *   and `operations`;
 * - `mcp_tool_call`: `mcp_server`, `mcp_server_origin` (scrubbed), `mcp_tool`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.tool_result", tool_name: "exec_command", call_id: "c1",
 *     success: "true", duration_ms: "204", arguments: '{"cmd":"echo hi"}',
 *     output: "Process exited with code 0\nOutput:\nhi\n" },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexToolResult(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event.kind; // "command_run"
 * ```
 */
export function classifyCodexToolResult(
  record: FlatLogRecord,
  context: ClassifyContext,
): CodexToolEvent {
  const attributes = record.attributes;
  const content = context.policy.content;
  const maxFieldBytes = content.max_field_bytes;
  const toolName = normaliseString(attributes["tool_name"])?.trim() ?? null;
  const argumentsText = normaliseString(attributes["arguments"], { allowEmpty: true });
  const outputText = normaliseString(attributes["output"], { allowEmpty: true });
  const mcpServer = normaliseString(attributes["mcp_server"]);
  // codexToolEventKind, reading a shell tool's arguments once for both the kind and the event.
  let kind: CodexToolEventKind;
  let patchText: string | undefined;
  let shell: ShellArguments | undefined;
  if (mcpServer !== undefined) kind = "mcp_tool_call";
  else if (toolName === "apply_patch") {
    patchText = codexApplyPatchText(toolName, argumentsText);
    kind = "file_change";
  } else if (toolName !== null && CODEX_SHELL_TOOLS.has(toolName)) {
    shell = classifyShellArguments(argumentsText ?? "");
    patchText = shellApplyPatchText(shell);
    kind = patchText === undefined ? "command_run" : "file_change";
  } else kind = "tool_result";
  const argumentsRule = content.tool_arguments;
  // The fields every kind has, in the order of ToolEventFields, optional ones only when present.
  const event = classifyCodexCommonFields(record, context, kind) as CodexToolEvent;
  event.tool_name = toolName;
  const toolNamespace = normaliseString(attributes["tool_namespace"]);
  if (toolNamespace !== undefined) event.tool_namespace = toolNamespace;
  event.call_id = normaliseString(attributes["call_id"]) ?? null;
  const sequence = normaliseCount(attributes["tool_result_seq"]);
  if (sequence !== undefined) event.sequence = sequence;
  event.success = normaliseBoolean(attributes["success"]) ?? null;
  event.duration_ms = normaliseNumber(attributes["duration_ms"]) ?? null;
  const agentName = normaliseString(attributes["agent_name"]);
  if (agentName !== undefined) event.agent_name = agentName;
  if (argumentsText !== undefined) {
    event.arguments = applyContentRule(argumentsText, argumentsRule, { maxFieldBytes, json: true });
  }
  if (outputText !== undefined) {
    event.output = applyContentRule(outputText, content.tool_output, { maxFieldBytes });
  }
  const outputTruncated = normaliseBoolean(attributes["output_truncated"]);
  if (outputTruncated !== undefined) event.output_truncated = outputTruncated;
  switch (event.kind) {
    case "command_run": {
      const { command, workdir, sandboxPermissions } = shell!;
      if (command !== undefined) {
        event.command = applyContentRule(command, argumentsRule, { maxFieldBytes });
      }
      if (workdir !== undefined) {
        event.workdir = applyContentRule(workdir, argumentsRule, { maxFieldBytes });
      }
      const exitCode = outputText === undefined ? undefined : classifyExitCode(outputText);
      if (exitCode !== undefined) event.exit_code = exitCode;
      if (sandboxPermissions !== undefined) event.sandbox_permissions = sandboxPermissions;
      break;
    }
    case "file_change": {
      const patch = classifyApplyPatch(patchText ?? "");
      const paths = applyPathRule(patch.paths, argumentsRule, maxFieldBytes);
      event.path_count = paths.path_count;
      event.paths_mode = paths.paths_mode;
      if (paths.paths !== undefined) event.paths = paths.paths;
      if (paths.paths_truncated !== undefined) event.paths_truncated = paths.paths_truncated;
      event.operations = patch.operations;
      break;
    }
    case "mcp_tool_call": {
      const server = mcpServer!;
      event.mcp_server = server;
      const origin = normaliseString(attributes["mcp_server_origin"]);
      if (origin !== undefined) event.mcp_server_origin = scrubSecrets(origin).text;
      if (toolName !== null) event.mcp_tool = mcpToolName(toolName, server);
      break;
    }
  }
  return event;
}

/** `mcp__github__search` -> `search`; a name without the prefix stays as it is. */
function mcpToolName(toolName: string, server: string): string {
  const prefix = `mcp__${server}__`;
  if (toolName.startsWith(prefix)) return toolName.slice(prefix.length);
  const generic = /^mcp__[^_]+(?:_[^_]+)*?__(.+)$/.exec(toolName);
  return generic ? generic[1] : toolName;
}
