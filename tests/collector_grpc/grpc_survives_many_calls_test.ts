/**
 * Regression test of the gRPC listener's crash guard (denoland/deno#36788): the listener runs in
 * a child process, real gRPC clients make 3,000 Export calls over 30 connections of 100 calls
 * each (30 at a time), and each round also has a client that cancels its calls and one that
 * destroys its connection with streams open. Every call must succeed (grpc-js retries a refused
 * stream transparently), the child must still be alive and answer, and exit 0 on SIGTERM.
 *
 * The companion `upstream_http2_crash_witness_test.ts` runs the same load without the guard
 * and shows the child aborting.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DEFAULT_MAX_STREAMS_PER_SESSION } from "../../lib/collector/grpc/start_grpc_listener.ts";
import { driveExportLoad, MANY_CALLS_LOAD } from "./support/drive_export_load.ts";
import {
  CLIENT_PREFACE,
  concatBytes,
  goawayThenNewStream,
  sendRawAndClose,
  settingsFrame,
} from "./support/http2_frames.ts";
import { createOtlpGrpcClient, exportLogs } from "./support/otlp_grpc_client.ts";
import { spawnGrpcListenerChild } from "./support/spawn_grpc_listener_child.ts";

Deno.test("the gRPC listener survives 3,000 calls over 30 connections, some closed abruptly", async () => {
  const child = await spawnGrpcListenerChild();
  try {
    const load = await driveExportLoad(child.port, {
      ...MANY_CALLS_LOAD,
      abrupt: true,
      stop: child.exited,
    });
    if (child.exited()) {
      assert.fail(
        `the listener died: ${JSON.stringify(await child.status)}\n${await child.stderr()}`,
      );
    }
    assert.deepEqual(Object.fromEntries(load.failed), {}, "every call succeeds");
    assert.equal(load.ok, 3_000);

    const client = createOtlpGrpcClient(child.port);
    await exportLogs(client).response;
    client.close();

    const { status, summary } = await child.terminate();
    assert.deepEqual(
      { code: status.code, signal: status.signal },
      { code: 0, signal: null },
      await child.stderr(),
    );
    assert.ok(summary, "the child prints its summary when it stops");
    // Every answered call was appended once; cancelled calls may or may not have been.
    assert.ok(summary.appends >= 3_001, `appends: ${summary.appends}`);
    assert.ok(summary.stats.sessionsRecycled >= 30, JSON.stringify(summary.stats));
    assert.ok(
      summary.stats.maxStreamsSeen <= DEFAULT_MAX_STREAMS_PER_SESSION,
      JSON.stringify(summary.stats),
    );
    assert.equal(await child.stderr(), "", "the listener reported no error");
  } finally {
    child.kill();
    await child.status;
  }
});

Deno.test("the gRPC listener survives clients that send GOAWAY and a new stream at once, or garbage", async () => {
  const child = await spawnGrpcListenerChild();
  try {
    const misbehaving = [
      goawayThenNewStream(0), // NO_ERROR: Deno closes the session
      goawayThenNewStream(2), // INTERNAL_ERROR: Deno destroys the session
      new TextEncoder().encode("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
      CLIENT_PREFACE,
      concatBytes(CLIENT_PREFACE, settingsFrame(), new Uint8Array(64).fill(0xff)),
    ];
    for (let round = 0; round < 10 && !child.exited(); round++) {
      for (const bytes of misbehaving) await sendRawAndClose(child.port, bytes);
    }
    // Give a crash triggered by the last connection the time to happen.
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (child.exited()) {
      assert.fail(
        `the listener died: ${JSON.stringify(await child.status)}\n${await child.stderr()}`,
      );
    }

    const client = createOtlpGrpcClient(child.port);
    await exportLogs(client).response;
    client.close();
    const { status, summary } = await child.terminate();
    // (Its stderr reports the HTTP/1.1 request: "Received bad client magic byte string".)
    assert.equal(status.code, 0, await child.stderr());
    // The streams sent along with a GOAWAY are served like any other.
    assert.ok(summary && summary.appends >= 21, JSON.stringify(summary));
  } finally {
    child.kill();
    await child.status;
  }
});

Deno.test("with the stream cap off, the GOAWAY deferral alone keeps the listener alive", async () => {
  const child = await spawnGrpcListenerChild({ maxStreamsPerSession: Infinity });
  try {
    const load = await driveExportLoad(child.port, {
      ...MANY_CALLS_LOAD,
      abrupt: true,
      stop: child.exited,
    });
    if (child.exited()) {
      assert.fail(
        `the listener died: ${JSON.stringify(await child.status)}\n${await child.stderr()}`,
      );
    }
    assert.deepEqual(Object.fromEntries(load.failed), {});
    const { status, summary } = await child.terminate();
    assert.equal(status.code, 0, await child.stderr());
    assert.equal(summary?.stats.sessionsRecycled, 0, "no session was recycled");
  } finally {
    child.kill();
    await child.status;
  }
});
