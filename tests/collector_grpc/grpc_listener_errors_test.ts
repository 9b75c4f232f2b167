/**
 * Which connection errors the gRPC listener reports, in process: none for clients that close the
 * normal way (grpc-go included, whose GOAWAY nghttp2 refuses), and each real fault exactly once,
 * although the session, the server and the socket all emit it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createExportPipeline } from "../../lib/collector/export_pipeline.ts";
import { otlpConnectRoutes } from "../../lib/collector/otlp_connect_routes.ts";
import {
  type GrpcListener,
  startGrpcListener,
} from "../../lib/collector/grpc/start_grpc_listener.ts";
import { runGoOtlpPeer } from "./support/build_go_otlp_peer.ts";
import {
  CLIENT_PREFACE,
  concatBytes,
  exportHeadersFrame,
  goawayFrame,
  sendRawAndClose,
  settingsFrame,
} from "./support/http2_frames.ts";
import { createOtlpGrpcClient, exportLogs } from "./support/otlp_grpc_client.ts";

/** A listener on a free port whose `onError` calls are kept; counts the records appended. */
async function startReportingListener() {
  const errors: unknown[] = [];
  let appended = 0;
  const pipeline = createExportPipeline({
    classify: () => ({ events: [{}], dropped: 0 }),
    log: {
      append(events) {
        appended += events.length;
        return Promise.resolve();
      },
    },
  });
  const listener = await startGrpcListener({
    hostname: "127.0.0.1",
    port: 0,
    routes: otlpConnectRoutes(pipeline, {}),
    readMaxBytes: 1 << 20,
    onError: (error) => errors.push(error),
  });
  return { listener, errors, appended: () => appended };
}

/** Waits until every session is closed (bounded, so a bug fails instead of hanging). */
async function sessionsClosed(listener: GrpcListener): Promise<void> {
  for (let i = 0; i < 200 && listener.stats().sessions > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.equal(listener.stats().sessions, 0, "every session closed");
}

function describe(errors: unknown[]): string {
  return errors.map((e) => `${e} (errno ${(e as { errno?: number }).errno})`).join("\n");
}

Deno.test("the gRPC listener reports nothing when grpc-go and grpc-js clients close normally", async () => {
  const { listener, errors, appended } = await startReportingListener();
  try {
    const short = await runGoOtlpPeer({
      port: listener.address.port,
      connections: 5,
      calls: 3,
      marker: "short",
    });
    assert.equal(short.code, 0, short.stderr);
    // 80 calls cross the stream cap: the server's GOAWAY comes first, then the client's close.
    const long = await runGoOtlpPeer({
      port: listener.address.port,
      connections: 1,
      calls: 80,
      marker: "long",
    });
    assert.equal(long.code, 0, long.stderr);
    const client = createOtlpGrpcClient(listener.address.port);
    for (let call = 0; call < 3; call++) await exportLogs(client).response;
    client.close();
    await sessionsClosed(listener);
    assert.equal(appended(), 5 * 3 + 80 + 3);
    assert.deepEqual(errors, [], describe(errors));
    assert.ok(listener.stats().sessionsRecycled >= 1, JSON.stringify(listener.stats()));
  } finally {
    await listener.close();
  }
});

Deno.test("the gRPC listener reports each real connection fault exactly once", async () => {
  const { listener, errors } = await startReportingListener();
  const faults: [string, Uint8Array][] = [
    ["not HTTP/2 at all", new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n")],
    // A client may not open an even (server) stream: nghttp2's "Protocol error", no GOAWAY.
    [
      "a stream with an even id",
      concatBytes(CLIENT_PREFACE, settingsFrame(), exportHeadersFrame(2)),
    ],
    // grpc-go's GOAWAY shape, but with INTERNAL_ERROR: the client reports a fault of its own.
    ["GOAWAY with an error code", concatBytes(CLIENT_PREFACE, settingsFrame(), goawayFrame(3, 2))],
  ];
  try {
    for (const [name, bytes] of faults) {
      const before = errors.length;
      await sendRawAndClose(listener.address.port, bytes, 50);
      await sessionsClosed(listener);
      // Every emitter of this connection's error has fired by now; let a late one show itself.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(errors.length - before, 1, `${name}:\n${describe(errors.slice(before))}`);
    }
    assert.match(String(errors[0]), /bad client magic/);
    assert.match(String(errors[1]), /Protocol error/);
    assert.match(String(errors[2]), /Protocol error/);
  } finally {
    await listener.close();
  }
});
