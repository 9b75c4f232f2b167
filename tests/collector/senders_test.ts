/**
 * Independent senders reach the collector's HTTP/1.1 listener: the OpenTelemetry JS exporters
 * (OTLP/HTTP protobuf and JSON) and Connect clients speaking the Connect and gRPC-Web protocols.
 */
import assert from "node:assert/strict";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { LogsService } from "../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { codexLogsRequest } from "../support/codex_payloads.ts";

const TOKEN = "senders-token-0123456789";

async function emitWith(
  exporter: ProtoLogExporter | JsonLogExporter,
  sessions: string[],
): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "codex_exec" }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger("codex_otel.log_only");
  for (const session of sessions) {
    logger.emit({
      attributes: {
        "event.name": "codex.conversation_starts",
        "event.timestamp": new Date().toISOString(),
        "conversation.id": session,
        "app.version": "0.169.0",
      },
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
}

Deno.test("OpenTelemetry JS exporters (protobuf and JSON) deliver, with the token", async () => {
  await using c = await startInProcessCollector({
    policyText: `version = 1\n[collector]\ntoken = "${TOKEN}"\n`,
  });
  const headers = { authorization: `Bearer ${TOKEN}` };
  await emitWith(new ProtoLogExporter({ url: `${c.url}/v1/logs`, headers }), [
    "proto-1",
    "proto-2",
  ]);
  await emitWith(new JsonLogExporter({ url: `${c.url}/v1/logs`, headers }), ["json-1"]);
  const sessions = (await c.events()).map((event) => event.session_id).sort();
  assert.deepEqual(sessions, ["json-1", "proto-1", "proto-2"]);
});

Deno.test("Connect and gRPC-Web clients call LogsService/Export; a wrong token is Unauthenticated", async () => {
  await using c = await startInProcessCollector({
    policyText: `version = 1\n[collector]\ntoken = "${TOKEN}"\n`,
  });
  const transports = {
    connect: createConnectTransport({ baseUrl: c.url, httpVersion: "1.1" }),
    connectJson: createConnectTransport({
      baseUrl: c.url,
      httpVersion: "1.1",
      useBinaryFormat: false,
    }),
    grpcWeb: createGrpcWebTransport({ baseUrl: c.url, httpVersion: "1.1" }),
  };
  for (const [name, transport] of Object.entries(transports)) {
    const client = createClient(LogsService, transport);
    const response = await client.export(codexLogsRequest(`via-${name}`), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.partialSuccess, undefined, name);
    await assert.rejects(
      client.export(codexLogsRequest(`denied-${name}`)),
      (error: unknown) => ConnectError.from(error).code === Code.Unauthenticated,
    );
  }
  const sessions = new Set((await c.events()).map((event) => event.session_id));
  assert.deepEqual([...sessions].sort(), ["via-connect", "via-connectJson", "via-grpcWeb"]);
});
