/**
 * The same payload gives the same events on every transport (issue 7 item 11): each real Codex
 * capture, and requests holding invalid UTF-8, sent over OTLP/HTTP, Connect, gRPC-Web and gRPC
 * (protobuf) or OTLP/HTTP and Connect (JSON), give identical runtime-log lines: ids and content.
 * Each transport gets a fresh collector in a child process (its gRPC listener is an HTTP/2 server,
 * which may abort the process it runs in: denoland/deno#36788).
 */
import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { spawnCollectorChild } from "../support/spawn_collector_child.ts";
import { capturedBodies, codexLogsRequest } from "../support/codex_payloads.ts";
import { BINARY_TRANSPORTS, type OtlpTransport, sendOtlp } from "../support/otlp_transports.ts";
import { convertOtlpJsonIds } from "../../lib/otlp/convert_otlp_json_ids.ts";
import { ExportLogsServiceRequestSchema } from "../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { parseBeaconEvents } from "../support/beacon_event_schema.ts";

const RECEIVED_AT = new Date("2026-11-25T12:00:00.000Z");
const POLICY = `version = 1\n[content]\nprompt = "keep"\ntool_arguments = "keep"\n` +
  `tool_output = "keep"\n`;

/** The runtime-log lines each transport gives for `bodies`, sent in order. */
async function linesPerTransport(
  transports: readonly OtlpTransport[],
  bodies: Uint8Array[],
): Promise<Map<OtlpTransport, string[]>> {
  const result = new Map<OtlpTransport, string[]>();
  for (const transport of transports) {
    await using c = await spawnCollectorChild({ policyText: POLICY, now: RECEIVED_AT });
    for (const body of bodies) {
      const outcome = await sendOtlp(
        { url: c.url, grpcPort: c.grpcPort },
        transport,
        "logs",
        body,
      );
      assert.ok(
        outcome.accepted,
        `${transport}: ${outcome.code} ${outcome.message}\n${await c.diagnosis()}`,
      );
    }
    const text = await Deno.readTextFile(c.logPath);
    parseBeaconEvents(text, `${c.logPath} (${transport})`);
    result.set(transport, text.split("\n").filter(Boolean));
  }
  return result;
}

function assertAllEqual(lines: Map<OtlpTransport, string[]>, what: string): void {
  const [first, ...rest] = [...lines.entries()];
  assert.ok(first[1].length > 0, `${what}: ${first[0]} wrote events`);
  for (const [transport, got] of rest) {
    assert.deepEqual(got, first[1], `${what}: ${transport} differs from ${first[0]}`);
  }
}

for (
  const run of ["02-http-binary-logs", "06-http-binary-all-prompt-false", "15-approve-for-me-deny"]
) {
  Deno.test(`capture ${run}: the same lines over every binary transport`, async () => {
    const bodies = capturedBodies(run).map((captured) => captured.body);
    assertAllEqual(await linesPerTransport(BINARY_TRANSPORTS, bodies), run);
  });
}

for (const run of ["03-http-json-logs", "07-http-json-all-subtables"]) {
  Deno.test(`capture ${run}: the same lines over OTLP/HTTP JSON and Connect JSON`, async () => {
    const bodies = capturedBodies(run).map((captured) => captured.body);
    const lines = await linesPerTransport(["http-json"], bodies);
    // Connect's JSON is proto3 JSON, whose ids are base64 where OTLP/JSON's are hex: the same
    // request, in Connect's encoding.
    const connectBodies = bodies.map((body) => {
      const json = JSON.parse(new TextDecoder().decode(body));
      assert.equal(convertOtlpJsonIds("logs", json, "hex-to-base64"), undefined);
      return new TextEncoder().encode(JSON.stringify(json));
    });
    lines.set(
      "connect-json",
      (await linesPerTransport(["connect-json"], connectBodies)).get("connect-json")!,
    );
    assertAllEqual(lines, run);
  });
}

Deno.test("invalid UTF-8 is repaired the same way on every binary transport", async () => {
  const bytes = toBinary(
    ExportLogsServiceRequestSchema,
    create(ExportLogsServiceRequestSchema, codexLogsRequest("utf8-XXXX-session", 3)),
  );
  // Replace each "X" of the session id (in every record) with a byte that is never UTF-8.
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x58) bytes[i] = 0xff;
  const lines = await linesPerTransport(BINARY_TRANSPORTS, [bytes]);
  assertAllEqual(lines, "invalid UTF-8");
  const event = JSON.parse(lines.get("grpc")![0]);
  assert.equal(event.session_id, "utf8-\uFFFD\uFFFD\uFFFD\uFFFD-session");
});
