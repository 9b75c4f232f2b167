import type { Policy } from "../../policy/policy_schema.ts";
import type { TomlValue } from "../../toml/toml_value.ts";
import type { DesiredSetting } from "../../reconcile/diff_managed_settings.ts";
import { claudeCodePolicyOf } from "./claude_code_policy_of.ts";

/** The block of `settings.json` whose variables Claude Code applies to its own environment. */
export const CLAUDE_CODE_ENV_BLOCK = "env";

/** The header carrying the policy's shared token (as Codex's exporter sends it). */
export const CLAUDE_CODE_TOKEN_HEADER = "authorization";

/** Per-signal endpoints that would override Beacon's endpoint for that signal. */
const PER_SIGNAL_ENDPOINTS = [
  "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
] as const;

/**
 * The `env` entries of Claude Code's settings that make it send what the policy keeps to
 * Beacon's collector, and nothing the policy would drop. Claude Code reads "1"/"true"/"yes"/"on"
 * as on and anything else as off, so the content switches are written as "1" or "0" (never left
 * to whatever the environment says):
 *
 * - `OTEL_LOG_USER_PROMPTS`: the prompt's text, when the policy keeps prompts in some form
 *   (exactly as Codex's `log_user_prompt`);
 * - `OTEL_LOG_ASSISTANT_RESPONSES`: the answer's text, when the policy keeps agent responses
 *   (without it Claude Code would follow `OTEL_LOG_USER_PROMPTS`);
 * - `OTEL_LOG_TOOL_DETAILS`: tool parameters and input (commands, file paths), when the policy
 *   keeps tool arguments;
 * - `OTEL_LOG_TOOL_CONTENT`: tool output (on spans only), when the policy keeps tool output;
 * - `OTEL_LOG_RAW_API_BODIES`: always "0": whole API requests hold every prompt and file read.
 *
 * The endpoint, the per-signal endpoints and the headers form one unit with everything else
 * Beacon sets here (group `env`): while they send to someone else's collector, Beacon changes
 * none of them and reports one conflict.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import { claudeCodeDesiredSettings } from "./claude_code_desired_settings.ts";
 * const settings = claudeCodeDesiredSettings(v.parse(PolicySchema, {}));
 * settings.find((s) => s.path[1] === "OTEL_LOG_USER_PROMPTS")?.value; // "0"
 * settings.find((s) => s.path[1] === "OTEL_EXPORTER_OTLP_ENDPOINT")?.value; // "http://127.0.0.1:4318"
 * ```
 */
export function claudeCodeDesiredSettings(policy: Policy): DesiredSetting[] {
  const claude = claudeCodePolicyOf(policy);
  const content = policy.content;
  const flag = (on: boolean) => on ? "1" : "0";
  const isForeignEndpoint = (found: TomlValue) =>
    typeof found !== "string" || !isBeaconEndpoint(policy, found);
  const env = (name: string, value: string | undefined, isForeign?: DesiredSetting["isForeign"]) =>
    ({
      path: [CLAUDE_CODE_ENV_BLOCK, name],
      value,
      ...(isForeign ? { isForeign } : {}),
      group: ENV_GROUP,
    }) satisfies DesiredSetting;
  const token = policy.collector.token;
  const settings: DesiredSetting[] = [
    env("CLAUDE_CODE_ENABLE_TELEMETRY", "1"),
    env("OTEL_LOGS_EXPORTER", "otlp"),
    env("OTEL_METRICS_EXPORTER", "otlp"),
    env("OTEL_TRACES_EXPORTER", claude.include_spans ? "otlp" : "none"),
    ...(claude.include_spans ? [env("CLAUDE_CODE_ENHANCED_TELEMETRY_BETA", "1")] : []),
    env("OTEL_EXPORTER_OTLP_PROTOCOL", claude.transport),
    env("OTEL_EXPORTER_OTLP_ENDPOINT", claudeCodeCollectorUrl(policy), isForeignEndpoint),
    ...PER_SIGNAL_ENDPOINTS.map((name) => env(name, undefined, isForeignEndpoint)),
    // Any headers Beacon did not write were meant for someone else's collector.
    env(
      "OTEL_EXPORTER_OTLP_HEADERS",
      token ? `${CLAUDE_CODE_TOKEN_HEADER}=Bearer ${headerToken(token)}` : undefined,
      () => true,
    ),
    env("OTEL_LOG_USER_PROMPTS", flag(content.prompt !== "drop")),
    env("OTEL_LOG_ASSISTANT_RESPONSES", flag(content.agent_response !== "drop")),
    env("OTEL_LOG_TOOL_DETAILS", flag(content.tool_arguments !== "drop")),
    env("OTEL_LOG_TOOL_CONTENT", flag(content.tool_output !== "drop")),
    env("OTEL_LOG_RAW_API_BODIES", "0"),
  ];
  return settings;
}

const ENV_GROUP = [CLAUDE_CODE_ENV_BLOCK] as const;

/**
 * The token as `OTEL_EXPORTER_OTLP_HEADERS` can carry it: Claude Code's exporter splits the
 * variable on commas and sends each value as written (no percent-decoding), so a comma cannot be
 * sent. Beacon's generated tokens never hold one; a policy's may.
 */
function headerToken(token: string): string {
  if (token.includes(",")) {
    throw new Error(
      "Cannot configure Claude Code: the policy's collector.token contains a comma, which " +
        "Claude Code cannot send in OTEL_EXPORTER_OTLP_HEADERS. Choose a token without commas.",
    );
  }
  return token;
}

/**
 * Where Claude Code reaches the collector: the base URL (Claude Code appends `/v1/logs`,
 * `/v1/metrics`, `/v1/traces` over HTTP; gRPC uses it as is).
 */
export function claudeCodeCollectorUrl(policy: Policy): string {
  const grpc = claudeCodePolicyOf(policy).transport === "grpc";
  return `http://${grpc ? policy.collector.grpc_listen : policy.collector.listen}`;
}

/** Either of Beacon's own listeners, with or without a signal path. */
function isBeaconEndpoint(policy: Policy, endpoint: string): boolean {
  const ours = [policy.collector.listen, policy.collector.grpc_listen].map((address) =>
    `http://${address}`
  );
  const trimmed = endpoint.trim().replace(/\/+$/, "");
  return ours.some((base) => trimmed === base || trimmed.startsWith(`${base}/`));
}
