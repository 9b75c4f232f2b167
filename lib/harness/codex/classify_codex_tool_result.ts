import { applyContentRule } from "../../content/apply_content_rule.ts";
import { scrubSecrets } from "../../content/scrub_secrets.ts";
import { applyPathRule } from "../../events/apply_path_rule.ts";
import type {
  CommandRunEvent,
  FileChangeEvent,
  McpToolCallEvent,
  ToolEventFields,
  ToolResultEvent,
} from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyApplyPatch, codexApplyPatchText } from "./classify_apply_patch.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";
import { classifyExitCode } from "./classify_exit_code.ts";
import { classifyShellArguments, CODEX_SHELL_TOOLS } from "./classify_shell_arguments.ts";

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
  const text = (name: string) => normaliseString(attributes[name]);
  const content = context.policy.content;
  const maxFieldBytes = content.max_field_bytes;
  const toolName = text("tool_name")?.trim() ?? null;
  const argumentsText = normaliseString(attributes["arguments"], { allowEmpty: true });
  const outputText = normaliseString(attributes["output"], { allowEmpty: true });
  const mcpServer = text("mcp_server");
  const kind = codexToolEventKind(toolName, mcpServer, argumentsText);
  const argumentsRule = content.tool_arguments;
  const fields: ToolEventFields = {
    tool_name: toolName,
    tool_namespace: text("tool_namespace"),
    call_id: text("call_id") ?? null,
    sequence: normaliseCount(attributes["tool_result_seq"]),
    success: normaliseBoolean(attributes["success"]) ?? null,
    duration_ms: normaliseNumber(attributes["duration_ms"]) ?? null,
    agent_name: text("agent_name"),
    arguments: argumentsText === undefined
      ? undefined
      : applyContentRule(argumentsText, argumentsRule, { maxFieldBytes, json: true }),
    output: outputText === undefined
      ? undefined
      : applyContentRule(outputText, content.tool_output, { maxFieldBytes }),
    output_truncated: normaliseBoolean(attributes["output_truncated"]),
  };
  switch (kind) {
    case "command_run": {
      const shell = classifyShellArguments(argumentsText ?? "");
      return omitUndefined<CommandRunEvent>({
        ...classifyCodexCommonFields(record, context, "command_run"),
        ...fields,
        command: shell.command === undefined
          ? undefined
          : applyContentRule(shell.command, argumentsRule, { maxFieldBytes }),
        workdir: shell.workdir === undefined
          ? undefined
          : applyContentRule(shell.workdir, argumentsRule, { maxFieldBytes }),
        exit_code: outputText === undefined ? undefined : classifyExitCode(outputText),
        sandbox_permissions: shell.sandboxPermissions,
      });
    }
    case "file_change": {
      const patch = classifyApplyPatch(codexApplyPatchText(toolName, argumentsText) ?? "");
      return omitUndefined<FileChangeEvent>({
        ...classifyCodexCommonFields(record, context, "file_change"),
        ...fields,
        ...applyPathRule(patch.paths, argumentsRule, maxFieldBytes),
        operations: patch.operations,
      });
    }
    case "mcp_tool_call": {
      const server = mcpServer!;
      const origin = text("mcp_server_origin");
      return omitUndefined<McpToolCallEvent>({
        ...classifyCodexCommonFields(record, context, "mcp_tool_call"),
        ...fields,
        mcp_server: server,
        mcp_server_origin: origin === undefined ? undefined : scrubSecrets(origin).text,
        mcp_tool: toolName === null ? undefined : mcpToolName(toolName, server),
      });
    }
    case "tool_result":
      return omitUndefined<ToolResultEvent>({
        ...classifyCodexCommonFields(record, context, "tool_result"),
        ...fields,
      });
  }
}

/** `mcp__github__search` -> `search`; a name without the prefix stays as it is. */
function mcpToolName(toolName: string, server: string): string {
  const prefix = `mcp__${server}__`;
  if (toolName.startsWith(prefix)) return toolName.slice(prefix.length);
  const generic = /^mcp__[^_]+(?:_[^_]+)*?__(.+)$/.exec(toolName);
  return generic ? generic[1] : toolName;
}
