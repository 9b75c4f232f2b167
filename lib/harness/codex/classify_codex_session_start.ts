import type { AuthEnvironment, SessionStartEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";

/**
 * A `session_start` event from a `codex.conversation_starts` record: the provider, reasoning
 * settings, approval and sandbox policies, MCP servers and which credentials the environment
 * offered (flags only).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.conversation_starts", approval_policy: "never", mcp_servers: "a, b" },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexSessionStart(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event.mcp_servers; // ["a", "b"]
 * ```
 */
export function classifyCodexSessionStart(
  record: FlatLogRecord,
  context: ClassifyContext,
): SessionStartEvent {
  const attributes = record.attributes;
  const event = classifyCodexCommonFields(record, context, "session_start") as SessionStartEvent;
  const provider = normaliseString(attributes["provider_name"]);
  if (provider !== undefined) event.provider = provider;
  const reasoningEffort = normaliseString(attributes["reasoning_effort"]);
  if (reasoningEffort !== undefined) event.reasoning_effort = reasoningEffort;
  const reasoningSummary = normaliseString(attributes["reasoning_summary"]);
  if (reasoningSummary !== undefined) event.reasoning_summary = reasoningSummary;
  const approvalPolicy = normaliseString(attributes["approval_policy"]);
  if (approvalPolicy !== undefined) event.approval_policy = approvalPolicy;
  const sandboxPolicy = normaliseString(attributes["sandbox_policy"]);
  if (sandboxPolicy !== undefined) event.sandbox_policy = sandboxPolicy;
  const mcpServers = normaliseString(attributes["mcp_servers"], { allowEmpty: true });
  if (mcpServers !== undefined) event.mcp_servers = splitList(mcpServers);
  const mcpServerCount = normaliseCount(attributes["mcp_server_count"]);
  if (mcpServerCount !== undefined) event.mcp_server_count = mcpServerCount;
  const legacySources = normaliseString(attributes["config.legacy_multi_agent_disabled_sources"]);
  if (legacySources !== undefined) event.legacy_multi_agent_disabled_sources = legacySources;
  const authEnv = authEnvironment(attributes);
  if (authEnv !== undefined) event.auth_env = authEnv;
  return event;
}

/** The `auth.env_*` flags that were sent, or undefined when none was. */
function authEnvironment(attributes: FlatLogRecord["attributes"]): AuthEnvironment | undefined {
  const authEnv: AuthEnvironment = {};
  let present = false;
  const openaiApiKeyPresent = normaliseBoolean(attributes["auth.env_openai_api_key_present"]);
  if (openaiApiKeyPresent !== undefined) {
    authEnv.openai_api_key_present = openaiApiKeyPresent;
    present = true;
  }
  const codexApiKeyPresent = normaliseBoolean(attributes["auth.env_codex_api_key_present"]);
  if (codexApiKeyPresent !== undefined) {
    authEnv.codex_api_key_present = codexApiKeyPresent;
    present = true;
  }
  const codexApiKeyEnabled = normaliseBoolean(attributes["auth.env_codex_api_key_enabled"]);
  if (codexApiKeyEnabled !== undefined) {
    authEnv.codex_api_key_enabled = codexApiKeyEnabled;
    present = true;
  }
  const providerKeyName = normaliseString(attributes["auth.env_provider_key_name"]);
  if (providerKeyName !== undefined) {
    authEnv.provider_key_name = providerKeyName;
    present = true;
  }
  const providerKeyPresent = normaliseBoolean(attributes["auth.env_provider_key_present"]);
  if (providerKeyPresent !== undefined) {
    authEnv.provider_key_present = providerKeyPresent;
    present = true;
  }
  const refreshOverride = normaliseBoolean(
    attributes["auth.env_refresh_token_url_override_present"],
  );
  if (refreshOverride !== undefined) {
    authEnv.refresh_token_url_override_present = refreshOverride;
    present = true;
  }
  return present ? authEnv : undefined;
}

/** `"a, b"` -> `["a", "b"]`; `""` -> `[]`. */
function splitList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}
