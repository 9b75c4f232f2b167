/**
 * The OpenTelemetry JS gRPC log exporter against the listener: log records emitted through the
 * SDK reach the export pipeline, and with a token configured, only calls that carry it are
 * accepted (`authorization: Bearer <token>` in the gRPC metadata).
 *
 * @module
 */

import assert from "node:assert/strict";
import { Metadata } from "@grpc/grpc-js";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-grpc";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import { createExportPipeline } from "../../lib/collector/export_pipeline.ts";
import { otlpConnectRoutes } from "../../lib/collector/otlp_connect_routes.ts";
import {
  type GrpcListener,
  startGrpcListener,
} from "../../lib/collector/grpc/start_grpc_listener.ts";

/** `ExportResultCode` of `@opentelemetry/core` (not a direct dependency). */
const EXPORT_SUCCESS = 0;
const EXPORT_FAILED = 1;
/** gRPC status UNAUTHENTICATED. */
const GRPC_UNAUTHENTICATED = 16;

/** One export result the SDK got from the exporter. */
interface ExportResult {
  code: number;
  error?: Error & { code?: number };
}

/** A listener on a free port whose pipeline keeps every log record body it was sent. */
async function startRecordingListener(token?: string) {
  const bodies: string[] = [];
  const resources: string[] = [];
  const pipeline = createExportPipeline({
    classify(batch) {
      assert.equal(batch.signal, "logs");
      for (const record of batch.records) {
        bodies.push(String(record.body));
        resources.push(String(record.resource["service.name"]));
      }
      return { events: batch.records.map(() => ({})), dropped: 0 };
    },
    log: { append: () => Promise.resolve() },
  });
  const listener = await startGrpcListener({
    hostname: "127.0.0.1",
    port: 0,
    routes: otlpConnectRoutes(pipeline, { token }),
    readMaxBytes: 4 << 20,
  });
  return { listener, bodies, resources };
}

/** An exporter that keeps the results it reports to the SDK. */
function recordingExporter(inner: LogRecordExporter, results: ExportResult[]): LogRecordExporter {
  return {
    export(logs: ReadableLogRecord[], done: (result: ExportResult) => void) {
      inner.export(logs, (result) => {
        results.push(result);
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

/**
 * Emits `bodies` through a LoggerProvider exporting to `listener` over gRPC, flushes, shuts the
 * provider down, and returns what the exporter reported.
 */
async function emitThroughSdk(
  listener: GrpcListener,
  bodies: string[],
  options: {
    metadata?: Metadata;
    processor: (exporter: LogRecordExporter) => LogRecordProcessor;
  },
): Promise<ExportResult[]> {
  const results: ExportResult[] = [];
  const exporter = new OTLPLogExporter({
    url: `http://127.0.0.1:${listener.address.port}`,
    metadata: options.metadata,
  });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": "beacon-test" }),
    processors: [options.processor(recordingExporter(exporter, results))],
  });
  const logger = provider.getLogger("beacon-test-scope");
  for (const body of bodies) logger.emit({ body, attributes: { "event.name": "test.event" } });
  await provider.forceFlush();
  await provider.shutdown();
  return results;
}

function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

Deno.test("records emitted with the OpenTelemetry gRPC log exporter reach the pipeline", async (t) => {
  for (
    const [name, processor] of [
      ["SimpleLogRecordProcessor", (exporter) => new SimpleLogRecordProcessor({ exporter })],
      ["BatchLogRecordProcessor", (exporter) => new BatchLogRecordProcessor({ exporter })],
    ] as const satisfies [string, (exporter: LogRecordExporter) => LogRecordProcessor][]
  ) {
    await t.step(name, async () => {
      const { listener, bodies, resources } = await startRecordingListener();
      try {
        const sent = ["first", "second", "third"].map((word) => `${name}: ${word}`);
        const results = await emitThroughSdk(listener, sent, { processor });
        assert.ok(results.length >= 1, "the exporter was called");
        assert.deepEqual(results.map((result) => result.code), results.map(() => EXPORT_SUCCESS));
        assert.deepEqual(bodies.toSorted(), sent.toSorted());
        assert.ok(resources.every((service) => service === "beacon-test"), resources.join());
      } finally {
        await listener.close();
      }
    });
  }
});

Deno.test("with a token, the gRPC listener refuses a missing or wrong one with UNAUTHENTICATED", async (t) => {
  const { listener, bodies } = await startRecordingListener("s3cret-token");
  const processor = (exporter: LogRecordExporter) => new SimpleLogRecordProcessor({ exporter });
  try {
    for (
      const [name, metadata] of [
        ["no token", undefined],
        ["wrong token", bearer("not-the-token")],
        [
          "token without Bearer",
          (() => {
            const metadata = new Metadata();
            metadata.set("authorization", "s3cret-token");
            return metadata;
          })(),
        ],
      ] as const
    ) {
      await t.step(name, async () => {
        const results = await emitThroughSdk(listener, [name], { metadata, processor });
        assert.equal(results.length, 1);
        assert.equal(results[0].code, EXPORT_FAILED);
        assert.equal(results[0].error?.code, GRPC_UNAUTHENTICATED, String(results[0].error));
      });
    }
    assert.deepEqual(bodies, [], "nothing was accepted without the right token");

    await t.step("right token", async () => {
      const results = await emitThroughSdk(listener, ["authorized"], {
        metadata: bearer("s3cret-token"),
        processor,
      });
      assert.deepEqual(results.map((result) => result.code), [EXPORT_SUCCESS]);
      assert.deepEqual(bodies, ["authorized"]);
    });
  } finally {
    await listener.close();
  }
});
