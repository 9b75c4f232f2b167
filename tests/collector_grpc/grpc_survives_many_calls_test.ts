/**
 * Regression test of the gRPC listener's crash guard (denoland/deno#36788): the listener runs in
 * a child process, real gRPC clients make 3,000 Export calls over 30 connections of 100 calls
 * each (10 at a time), and each round also has a client that cancels its calls and one that
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
import { driveExportLoad } from "./support/drive_export_load.ts";
import { createOtlpGrpcClient, exportLogs } from "./support/otlp_grpc_client.ts";
import { spawnGrpcListenerChild } from "./support/spawn_grpc_listener_child.ts";

Deno.test("the gRPC listener survives 3,000 calls over 30 connections, some closed abruptly", async () => {
  const child = await spawnGrpcListenerChild();
  try {
    const load = await driveExportLoad(child.port, {
      rounds: 10,
      clientsPerRound: 3,
      callsPerClient: 100,
      concurrency: 10,
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
