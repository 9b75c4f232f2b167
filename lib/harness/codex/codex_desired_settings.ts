import type { Policy } from "../../policy/policy_schema.ts";
import type { TomlValue } from "../../toml/toml_value.ts";
import type { DesiredSetting } from "../../reconcile/diff_managed_settings.ts";

/** The `[otel]` keys Beacon owns in Codex's config. Nothing else in the file is ever written. */
export const CODEX_MANAGED_PATHS: readonly (readonly string[])[] = [
  ["otel", "environment"],
  ["otel", "log_user_prompt"],
  ["otel", "log_agent_responses"],
  ["otel", "log_guardian_assessments"],
  ["otel", "tool_result", "max_bytes"],
  ["otel", "exporter"],
  ["otel", "trace_exporter"],
  ["otel", "metrics_exporter"],
];

/**
 * Codex's `tool_result.max_bytes` when the policy drops tool output: Codex always sends an
 * output preview, so ask for the smallest one it accepts.
 */
export const DROPPED_TOOL_OUTPUT_MAX_BYTES = 1;

/** The header carrying the policy's shared token. */
export const TOKEN_HEADER = "authorization";

/**
 * The `[otel]` values that make Codex send what the policy keeps, and nothing it would drop:
 * the prompt and final answer are only requested when the policy keeps them in some form, and
 * the tool output preview is capped at what the policy keeps.
 */
export function codexDesiredSettings(policy: Policy): DesiredSetting[] {
  const codex = policy.harnesses.codex;
  const content = policy.content;
  const headers: Record<string, TomlValue> = {};
  if (policy.collector.token) headers[TOKEN_HEADER] = `Bearer ${policy.collector.token}`;

  const exporterFor = (signal: "logs" | "traces" | "metrics"): TomlValue => {
    if (codex.transport === "grpc") {
      const grpc: Record<string, TomlValue> = { endpoint: collectorUrl(policy, signal) };
      if (Object.keys(headers).length) grpc.headers = headers;
      return { "otlp-grpc": grpc };
    }
    const http: Record<string, TomlValue> = {
      endpoint: collectorUrl(policy, signal),
      protocol: codex.transport === "http/json" ? "json" : "binary",
    };
    if (Object.keys(headers).length) http.headers = headers;
    return { "otlp-http": http };
  };
  const isForeignExporter = (found: TomlValue) => {
    const endpoint = exporterEndpoint(found);
    // Either of Beacon's own listeners is Beacon's (e.g. the HTTP one while moving to gRPC).
    const ours = [policy.collector.listen, policy.collector.grpc_listen].map((address) =>
      `http://${address}`
    );
    return endpoint !== undefined &&
      !ours.some((base) => endpoint === base || endpoint.startsWith(`${base}/`));
  };

  // One unit: while an exporter sends to someone else's collector, even `environment` or the
  // content switches would change what that collector receives.
  const settings: DesiredSetting[] = [
    { path: ["otel", "environment"], value: codex.environment },
    { path: ["otel", "log_user_prompt"], value: content.prompt !== "drop" },
    { path: ["otel", "log_agent_responses"], value: content.agent_response !== "drop" },
    // The automated reviewer's rationale is model-written text, governed like the answer.
    { path: ["otel", "log_guardian_assessments"], value: content.agent_response !== "drop" },
    {
      path: ["otel", "tool_result", "max_bytes"],
      value: content.tool_output === "drop"
        ? DROPPED_TOOL_OUTPUT_MAX_BYTES
        : content.max_field_bytes,
    },
    { path: ["otel", "exporter"], value: exporterFor("logs"), isForeign: isForeignExporter },
    {
      path: ["otel", "trace_exporter"],
      value: codex.include_spans ? exporterFor("traces") : "none",
      isForeign: isForeignExporter,
    },
    {
      path: ["otel", "metrics_exporter"],
      value: codex.include_metrics ? exporterFor("metrics") : "none",
      isForeign: isForeignExporter,
    },
  ];
  return settings.map((setting) => ({ ...setting, group: OTEL_GROUP }));
}

const OTEL_GROUP = ["otel"] as const;

/** Where Codex reaches the collector for one signal. gRPC uses one endpoint for all. */
export function collectorUrl(policy: Policy, signal: "logs" | "traces" | "metrics"): string {
  const transport = policy.harnesses.codex.transport;
  const base = collectorBase(policy, transport);
  return transport === "grpc" ? base : `${base}/v1/${signal}`;
}

function collectorBase(policy: Policy, transport: string): string {
  const address = transport === "grpc" ? policy.collector.grpc_listen : policy.collector.listen;
  return `http://${address}`;
}

/** The endpoint an `otel.*exporter` value sends to, if it is an OTLP exporter. */
export function exporterEndpoint(value: TomlValue | undefined): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const table = value as Record<string, TomlValue>;
  for (const variant of ["otlp-http", "otlp-grpc"]) {
    const inner = table[variant] as Record<string, TomlValue> | undefined;
    if (inner && typeof inner.endpoint === "string") return inner.endpoint;
  }
  return undefined;
}
