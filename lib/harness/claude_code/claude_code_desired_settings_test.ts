import assert from "node:assert/strict";
import * as v from "valibot";
import { PolicySchema } from "../../policy/policy_schema.ts";
import { codexDesiredSettings } from "../codex/codex_desired_settings.ts";
import { claudeCodeDesiredSettings } from "./claude_code_desired_settings.ts";

const RULES = ["keep", "redact", "hash", "drop"] as const;

function env(policy: ReturnType<typeof v.parse<typeof PolicySchema>>) {
  return Object.fromEntries(
    claudeCodeDesiredSettings(policy).map((setting) => [setting.path[1], setting.value]),
  );
}

Deno.test("the content switches follow the policy exactly as Codex's log_user_prompt does", () => {
  for (const prompt of RULES) {
    for (const agent_response of RULES) {
      for (const tool_arguments of RULES) {
        const policy = v.parse(PolicySchema, {
          content: { prompt, agent_response, tool_arguments, tool_output: tool_arguments },
        });
        const codex = Object.fromEntries(
          codexDesiredSettings(policy).map((setting) => [setting.path.join("."), setting.value]),
        );
        const claude = env(policy);
        assert.equal(claude.OTEL_LOG_USER_PROMPTS === "1", codex["otel.log_user_prompt"]);
        assert.equal(
          claude.OTEL_LOG_ASSISTANT_RESPONSES === "1",
          codex["otel.log_agent_responses"],
        );
        assert.equal(claude.OTEL_LOG_TOOL_DETAILS, tool_arguments === "drop" ? "0" : "1");
        assert.equal(claude.OTEL_LOG_TOOL_CONTENT, tool_arguments === "drop" ? "0" : "1");
        assert.equal(claude.OTEL_LOG_RAW_API_BODIES, "0");
      }
    }
  }
});

Deno.test("telemetry on, to Beacon's collector, with the token and the policy's transport", () => {
  const plain = env(v.parse(PolicySchema, {}));
  assert.equal(plain.CLAUDE_CODE_ENABLE_TELEMETRY, "1");
  assert.equal(plain.OTEL_LOGS_EXPORTER, "otlp");
  assert.equal(plain.OTEL_METRICS_EXPORTER, "otlp");
  assert.equal(plain.OTEL_TRACES_EXPORTER, "none");
  assert.equal(plain.OTEL_EXPORTER_OTLP_PROTOCOL, "http/protobuf");
  assert.equal(plain.OTEL_EXPORTER_OTLP_ENDPOINT, "http://127.0.0.1:4318");
  assert.equal(plain.OTEL_EXPORTER_OTLP_HEADERS, undefined);
  assert.equal(plain.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, undefined);

  const grpc = env(v.parse(PolicySchema, {
    collector: { token: "0123456789abcdef", grpc: true },
    harnesses: { "claude-code": { transport: "grpc", include_spans: true } },
  }));
  assert.equal(grpc.OTEL_EXPORTER_OTLP_PROTOCOL, "grpc");
  assert.equal(grpc.OTEL_EXPORTER_OTLP_ENDPOINT, "http://127.0.0.1:4317");
  assert.equal(grpc.OTEL_EXPORTER_OTLP_HEADERS, "authorization=Bearer 0123456789abcdef");
  assert.equal(grpc.OTEL_TRACES_EXPORTER, "otlp");
  assert.equal(grpc.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA, "1");
});

Deno.test("a policy token with a comma is refused: Claude Code could not send it", () => {
  const policy = v.parse(PolicySchema, { collector: { token: "0123456789abcdef,x" } });
  assert.throws(() => claudeCodeDesiredSettings(policy), /contains a comma/);
});

Deno.test("an endpoint of Beacon's own listeners is Beacon's; any other is someone else's", () => {
  const settings = claudeCodeDesiredSettings(v.parse(PolicySchema, {}));
  const endpoint = settings.find((setting) => setting.path[1] === "OTEL_EXPORTER_OTLP_ENDPOINT")!;
  assert.equal(endpoint.isForeign!("http://127.0.0.1:4318/"), false);
  assert.equal(endpoint.isForeign!("http://127.0.0.1:4317"), false);
  assert.equal(endpoint.isForeign!("https://otel.corp.example:4318"), true);
  assert.equal(endpoint.isForeign!("http://127.0.0.1:43180"), true);
});
