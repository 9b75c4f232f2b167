/**
 * Which connection errors the gRPC listener reports: none for clients that close the normal way
 * (grpc-go included, whose GOAWAY nghttp2 refuses), and each real fault exactly once, although
 * the session, the server and the socket all emit it. The listener runs in a child process (an
 * nghttp2 abort, denoland/deno#36788, must not end the test run), which reports its `onError`
 * calls, counters and appends over its control port.
 *
 * @module
 */

import assert from "node:assert/strict";
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
import {
  type GrpcListenerChild,
  type ListenerChildState,
  spawnGrpcListenerChild,
} from "./support/spawn_grpc_listener_child.ts";

/** A listener child on a free port, as the collector configures it (1 MiB messages). */
async function startReportingListener(): Promise<GrpcListenerChild> {
  return await spawnGrpcListenerChild({ readMaxBytes: 1 << 20 });
}

/** Waits until every session is closed (bounded, so a bug fails instead of hanging). */
async function sessionsClosed(listener: GrpcListenerChild): Promise<ListenerChildState> {
  let state = await listener.state();
  for (let i = 0; i < 200 && state.stats.sessions > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    state = await listener.state();
  }
  assert.equal(state.stats.sessions, 0, "every session closed");
  return state;
}

function describe(errors: ListenerChildState["errors"]): string {
  return errors.map((e) => `${e.text} (errno ${e.errno})`).join("\n");
}

/** Stops the child; a crash during the test shows here as a failure with the child's stderr. */
async function stop(listener: GrpcListenerChild): Promise<void> {
  const { status } = await listener.terminate();
  assert.equal(status.code, 0, `the listener child crashed:\n${await listener.stderr()}`);
}

Deno.test("the gRPC listener reports nothing when grpc-go and grpc-js clients close normally", async () => {
  const listener = await startReportingListener();
  try {
    const short = await runGoOtlpPeer({
      port: listener.port,
      connections: 5,
      calls: 3,
      marker: "short",
    });
    assert.equal(short.code, 0, short.stderr);
    // 80 calls cross the stream cap: the server's GOAWAY comes first, then the client's close.
    const long = await runGoOtlpPeer({
      port: listener.port,
      connections: 1,
      calls: 80,
      marker: "long",
    });
    assert.equal(long.code, 0, long.stderr);
    const client = createOtlpGrpcClient(listener.port);
    for (let call = 0; call < 3; call++) await exportLogs(client).response;
    client.close();
    const state = await sessionsClosed(listener);
    assert.equal(state.appends, 5 * 3 + 80 + 3);
    assert.deepEqual(state.errors, [], describe(state.errors));
    assert.ok(state.stats.sessionsRecycled >= 1, JSON.stringify(state.stats));
  } catch (error) {
    listener.kill();
    await listener.status;
    throw error;
  }
  await stop(listener);
});

Deno.test("the gRPC listener reports each real connection fault exactly once", async () => {
  const listener = await startReportingListener();
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
      const before = (await listener.state()).errors.length;
      await sendRawAndClose(listener.port, bytes, 50);
      await sessionsClosed(listener);
      // Every emitter of this connection's error has fired by now; let a late one show itself.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { errors } = await listener.state();
      assert.equal(errors.length - before, 1, `${name}:\n${describe(errors.slice(before))}`);
    }
    const { errors } = await listener.state();
    assert.match(errors[0].text, /bad client magic/);
    assert.match(errors[1].text, /Protocol error/);
    assert.match(errors[2].text, /Protocol error/);
  } catch (error) {
    listener.kill();
    await listener.status;
    throw error;
  }
  await stop(listener);
});
