/**
 * OTLP payloads shaped like Codex's: the real captures (fixtures/codex-0.169) and synthetic
 * requests built from them with a chosen session id, for crash, load and bad-input tests.
 */
import { create, toBinary } from "@bufbuild/protobuf";
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from "../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

const RUNS = new URL("../../fixtures/codex-0.169/runs/", import.meta.url).pathname;

/** A captured request body with its content type. */
export interface CapturedBody {
  path: string;
  contentType: string;
  body: Uint8Array;
}

/** The raw bodies Codex sent in one captured run, for one signal. */
export function capturedBodies(run: string, signal = "logs"): CapturedBody[] {
  const dir = `${RUNS}${run}/`;
  const bodies: CapturedBody[] = [];
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.name.endsWith(".meta.json")) continue;
    const meta = JSON.parse(Deno.readTextFileSync(dir + entry.name));
    if (meta.signal !== signal || meta.transport !== "http") continue;
    const base = entry.name.slice(0, -".meta.json".length);
    const file = meta.content_type.includes("json") ? `${base}.json` : `${base}.pb`;
    bodies.push({
      path: meta.path,
      contentType: meta.content_type,
      body: Deno.readFileSync(dir + file),
    });
  }
  return bodies;
}

/**
 * A logs request of `records` Codex-shaped events for session `sessionId`: a session start, a
 * prompt, then `codex.sse_event` `response.completed` records (each one becomes a token-usage
 * event), all stamped with `event.timestamp`.
 */
export function codexLogsRequest(sessionId: string, records = 3): ExportLogsServiceRequest {
  const str = (key: string, value: string) => ({
    key,
    value: { value: { case: "stringValue" as const, value } },
  });
  const base = [
    str("conversation.id", sessionId),
    str("app.version", "0.169.0"),
    str("originator", "codex_exec"),
    str("model", "mock-model"),
    str("terminal.type", "unknown"),
  ];
  const at = (i: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, 0, i)).toISOString();
  const logRecords = [];
  for (let i = 0; i < records; i++) {
    const name = i === 0
      ? "codex.conversation_starts"
      : i === 1
      ? "codex.user_prompt"
      : "codex.sse_event";
    const extra = name === "codex.user_prompt"
      ? [str("prompt", "[REDACTED]"), str("prompt_length", "12")]
      : name === "codex.sse_event"
      ? [
        str("event.kind", "response.completed"),
        str("input_token_count", String(100 + i)),
        str("output_token_count", "7"),
        str("cached_token_count", "0"),
        str("reasoning_token_count", "0"),
        str("tool_token_count", "0"),
      ]
      : [str("provider_name", "mock"), str("approval_policy", "never")];
    logRecords.push({
      observedTimeUnixNano: BigInt(Date.parse(at(i))) * 1_000_000n,
      severityNumber: 9,
      severityText: "INFO",
      attributes: [str("event.name", name), str("event.timestamp", at(i)), ...base, ...extra],
    });
  }
  return create(ExportLogsServiceRequestSchema, {
    resourceLogs: [{
      resource: { attributes: [str("service.name", "codex_exec"), str("env", "dev")] },
      scopeLogs: [{ scope: { name: "codex_otel.log_only" }, logRecords }],
    }],
  });
}

/** {@link codexLogsRequest} as an OTLP/HTTP protobuf body. */
export function codexLogsBody(sessionId: string, records = 3): Uint8Array {
  return toBinary(ExportLogsServiceRequestSchema, codexLogsRequest(sessionId, records));
}
