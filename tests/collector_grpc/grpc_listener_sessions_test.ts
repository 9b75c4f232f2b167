/**
 * How the gRPC listener manages its HTTP/2 sessions: the stream cap, the idle timeout, a graceful
 * close that lets calls finish, and binding errors. The listener runs in a child process (an
 * nghttp2 abort, denoland/deno#36788, must not end the test run) that reports its counters and
 * holds or releases appends on request.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DEFAULT_MAX_STREAMS_PER_SESSION } from "../../lib/collector/grpc/start_grpc_listener.ts";
import { createOtlpGrpcClient, exportLogs } from "./support/otlp_grpc_client.ts";
import {
  type GrpcListenerChild,
  type GrpcListenerChildOptions,
  ListenerChildStartError,
  spawnGrpcListenerChild,
} from "./support/spawn_grpc_listener_child.ts";
import { waitUntil } from "../support/wait_until.ts";

/** A listener child on a free port, as the collector configures it (1 MiB messages). */
async function startTestListener(
  options: GrpcListenerChildOptions = {},
): Promise<GrpcListenerChild> {
  return await spawnGrpcListenerChild({ readMaxBytes: 1 << 20, ...options });
}

/**
 * Runs `body`, then stops the child: exit 0 after a clean close, or a failure naming the crash
 * with the child's stderr. After a failed assertion the child is killed instead.
 */
async function withListener(
  listener: GrpcListenerChild,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    listener.kill();
    await listener.status;
    throw error;
  }
  const { status } = await listener.terminate();
  assert.equal(status.code, 0, `the listener child crashed:\n${await listener.stderr()}`);
}

Deno.test("the gRPC listener recycles a session before it carries more than the cap", async () => {
  const listener = await startTestListener();
  const client = createOtlpGrpcClient(listener.port);
  await withListener(listener, async () => {
    try {
      for (let call = 0; call < 200; call++) await exportLogs(client).response;
    } finally {
      client.close();
    }
    const { stats } = await listener.state();
    assert.ok(stats.sessionsRecycled >= 4, JSON.stringify(stats));
    assert.ok(stats.maxStreamsSeen <= DEFAULT_MAX_STREAMS_PER_SESSION, JSON.stringify(stats));
    assert.equal(stats.streamsRefused, 0);
  });
});

Deno.test("the gRPC listener closes a session idle for longer than idleTimeoutMs", async () => {
  const listener = await startTestListener({ idleTimeoutMs: 200 });
  const client = createOtlpGrpcClient(listener.port);
  await withListener(listener, async () => {
    try {
      await exportLogs(client).response;
      assert.equal((await listener.state()).stats.sessions, 1);
      await waitUntil(
        "the idle session to be closed",
        async () => (await listener.state()).stats.sessions === 0,
      );
      await exportLogs(client).response; // the client reconnects
    } finally {
      client.close();
    }
  });
});

Deno.test("closing the gRPC listener lets a call in flight finish", async () => {
  const listener = await startTestListener({ holdAppends: true });
  const client = createOtlpGrpcClient(listener.port);
  await withListener(listener, async () => {
    try {
      const response = exportLogs(client).response;
      response.catch(() => {}); // awaited below; a failure before that must not go unhandled
      await waitUntil("the append to start", async () => (await listener.state()).appendsStarted);
      await listener.closeListener();
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await listener.state()).closed, false, "close waits for the call");
      await listener.releaseAppends();
      await response;
      await waitUntil("the listener to close", async () => (await listener.state()).closed);
      const state = await listener.state();
      assert.equal(state.stats.sessions, 0);
      assert.equal(state.appends, 1);
    } finally {
      client.close();
    }
  });
});

Deno.test("startGrpcListener rejects when the port is taken, and on a cap below 1", async () => {
  const first = await startTestListener();
  await withListener(first, async () => {
    await assert.rejects(
      startTestListener({ port: first.port }),
      (error) => error instanceof ListenerChildStartError && error.code === "EADDRINUSE",
    );
  });
  await assert.rejects(
    startTestListener({ maxStreamsPerSession: 0 }),
    (error) => error instanceof ListenerChildStartError && error.errorName === "RangeError",
  );
});
