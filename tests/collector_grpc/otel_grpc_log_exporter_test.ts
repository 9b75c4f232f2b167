/**
 * The OpenTelemetry JS gRPC log exporter against the listener: log records emitted through the
 * SDK reach the export pipeline, and with a token configured, only calls that carry it are
 * accepted (`authorization: Bearer <token>` in the gRPC metadata). The listener runs in a child
 * process (an nghttp2 abort, denoland/deno#36788, must not end the test run) that reports the
 * records it was sent.
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
import {
  type GrpcListenerChild,
  spawnGrpcListenerChild,
} from "./support/spawn_grpc_listener_child.ts";

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

/** A listener child on a free port (4 MiB messages), which keeps every log record it was sent. */
async function startRecordingListener(token?: string): Promise<GrpcListenerChild> {
  return await spawnGrpcListenerChild({ token, readMaxBytes: 4 << 20 });
}

/** The log record bodies the listener accepted, checking that only logs arrived. */
async function received(listener: GrpcListenerChild) {
  const { signals, bodies, services } = await listener.state();
  assert.deepEqual(signals, signals.map(() => "logs"));
  return { bodies, services };
}

/** Stops the child; a crash during the test shows here as a failure with the child's stderr. */
async function stop(listener: GrpcListenerChild): Promise<void> {
  const { status } = await listener.terminate();
  assert.equal(status.code, 0, `the listener child crashed:\n${await listener.stderr()}`);
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
  listener: GrpcListenerChild,
  bodies: string[],
  options: {
    metadata?: Metadata;
    processor: (exporter: LogRecordExporter) => LogRecordProcessor;
  },
): Promise<ExportResult[]> {
  const results: ExportResult[] = [];
  const exporter = new OTLPLogExporter({
    url: `http://127.0.0.1:${listener.port}`,
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
      const listener = await startRecordingListener();
      try {
        const sent = ["first", "second", "third"].map((word) => `${name}: ${word}`);
        const results = await emitThroughSdk(listener, sent, { processor });
        assert.ok(results.length >= 1, "the exporter was called");
        assert.deepEqual(results.map((result) => result.code), results.map(() => EXPORT_SUCCESS));
        const { bodies, services } = await received(listener);
        assert.deepEqual(bodies.toSorted(), sent.toSorted());
        assert.ok(services.every((service) => service === "beacon-test"), services.join());
      } catch (error) {
        listener.kill();
        await listener.status;
        throw error;
      }
      await stop(listener);
    });
  }
});

Deno.test("with a token, the gRPC listener refuses a missing or wrong one with UNAUTHENTICATED", async (t) => {
  const listener = await startRecordingListener("s3cret-token");
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
    assert.deepEqual((await received(listener)).bodies, [], "nothing accepted without the token");

    await t.step("right token", async () => {
      const results = await emitThroughSdk(listener, ["authorized"], {
        metadata: bearer("s3cret-token"),
        processor,
      });
      assert.deepEqual(results.map((result) => result.code), [EXPORT_SUCCESS]);
      assert.deepEqual((await received(listener)).bodies, ["authorized"]);
    });
  } catch (error) {
    listener.kill();
    await listener.status;
    throw error;
  }
  await stop(listener);
});
