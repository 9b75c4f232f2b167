/**
 * How the gRPC listener manages its HTTP/2 sessions, in process: the stream cap, the idle
 * timeout, a graceful close that lets calls finish, and binding errors.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createExportPipeline } from "../../lib/collector/export_pipeline.ts";
import { otlpConnectRoutes } from "../../lib/collector/otlp_connect_routes.ts";
import {
  DEFAULT_MAX_STREAMS_PER_SESSION,
  type GrpcListenerOptions,
  startGrpcListener,
} from "../../lib/collector/grpc/start_grpc_listener.ts";
import { createOtlpGrpcClient, exportLogs } from "./support/otlp_grpc_client.ts";
import { waitUntil } from "../support/wait_until.ts";

/** A listener on a free port; `append` can be replaced to hold calls in flight. */
async function startTestListener(
  options: Partial<GrpcListenerOptions> = {},
  append: () => Promise<void> = () => Promise.resolve(),
) {
  const pipeline = createExportPipeline({
    classify: () => ({ events: [{}], dropped: 0 }),
    log: { append },
  });
  return await startGrpcListener({
    hostname: "127.0.0.1",
    port: 0,
    routes: otlpConnectRoutes(pipeline, {}),
    readMaxBytes: 1 << 20,
    ...options,
  });
}

Deno.test("the gRPC listener recycles a session before it carries more than the cap", async () => {
  const listener = await startTestListener();
  const client = createOtlpGrpcClient(listener.address.port);
  try {
    for (let call = 0; call < 200; call++) await exportLogs(client).response;
    const stats = listener.stats();
    assert.ok(stats.sessionsRecycled >= 4, JSON.stringify(stats));
    assert.ok(stats.maxStreamsSeen <= DEFAULT_MAX_STREAMS_PER_SESSION, JSON.stringify(stats));
    assert.equal(stats.streamsRefused, 0);
  } finally {
    client.close();
    await listener.close();
  }
});

Deno.test("the gRPC listener closes a session idle for longer than idleTimeoutMs", async () => {
  const listener = await startTestListener({ idleTimeoutMs: 200 });
  const client = createOtlpGrpcClient(listener.address.port);
  try {
    await exportLogs(client).response;
    assert.equal(listener.stats().sessions, 1);
    await waitUntil("the idle session to be closed", () => listener.stats().sessions === 0);
    await exportLogs(client).response; // the client reconnects
  } finally {
    client.close();
    await listener.close();
  }
});

Deno.test("closing the gRPC listener lets a call in flight finish", async () => {
  const { promise: appending, resolve: appendStarted } = Promise.withResolvers<void>();
  const { promise: release, resolve: releaseAppend } = Promise.withResolvers<void>();
  const listener = await startTestListener({}, () => {
    appendStarted();
    return release;
  });
  const client = createOtlpGrpcClient(listener.address.port);
  try {
    const call = exportLogs(client);
    await appending;
    const closed = listener.close();
    let closedEarly = false;
    closed.then(() => closedEarly = true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(closedEarly, false, "close waits for the call");
    releaseAppend();
    await call.response;
    await closed;
    assert.equal(listener.stats().sessions, 0);
  } finally {
    releaseAppend();
    client.close();
    await listener.close();
  }
});

Deno.test("startGrpcListener rejects when the port is taken, and on a cap below 1", async () => {
  const first = await startTestListener();
  try {
    await assert.rejects(
      startTestListener({ port: first.address.port }),
      (error: { code?: string }) => error.code === "EADDRINUSE",
    );
  } finally {
    await first.close();
  }
  await assert.rejects(startTestListener({ maxStreamsPerSession: 0 }), RangeError);
});
