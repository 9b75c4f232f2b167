import type { AuthEnvironment, SessionStartEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
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
  const text = (name: string) => normaliseString(attributes[name]);
  const flag = (name: string) => normaliseBoolean(attributes[name]);
  const authEnv: AuthEnvironment = omitUndefined({
    openai_api_key_present: flag("auth.env_openai_api_key_present"),
    codex_api_key_present: flag("auth.env_codex_api_key_present"),
    codex_api_key_enabled: flag("auth.env_codex_api_key_enabled"),
    provider_key_name: text("auth.env_provider_key_name"),
    provider_key_present: flag("auth.env_provider_key_present"),
    refresh_token_url_override_present: flag("auth.env_refresh_token_url_override_present"),
  });
  const mcpServers = normaliseString(attributes["mcp_servers"], { allowEmpty: true });
  return omitUndefined<SessionStartEvent>({
    ...classifyCodexCommonFields(record, context, "session_start"),
    provider: text("provider_name"),
    reasoning_effort: text("reasoning_effort"),
    reasoning_summary: text("reasoning_summary"),
    approval_policy: text("approval_policy"),
    sandbox_policy: text("sandbox_policy"),
    mcp_servers: mcpServers === undefined ? undefined : splitList(mcpServers),
    mcp_server_count: normaliseCount(attributes["mcp_server_count"]),
    legacy_multi_agent_disabled_sources: text("config.legacy_multi_agent_disabled_sources"),
    auth_env: Object.keys(authEnv).length === 0 ? undefined : authEnv,
  });
}

/** `"a, b"` -> `["a", "b"]`; `""` -> `[]`. */
function splitList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter((item) => item !== "");
}
