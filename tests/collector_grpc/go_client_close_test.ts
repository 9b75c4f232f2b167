/**
 * A grpc-go OTLP client (the stack of telemetrygen and the OpenTelemetry Go SDK) against
 * `beacon collector run` as shipped (single-file build, binary permissions): its normal closes
 * are not reported as errors, and a real fault still is, once.
 *
 * Found by trying third-party clients (issue 7, item 10): every connection of grpc-go's
 * telemetrygen left two `gRPC connection error: Protocol error` lines in the collector's output
 * although every export succeeded. grpc-go closes with a GOAWAY naming its own last stream,
 * which nghttp2 refuses as a protocol error (see `recycle_http2_sessions.ts`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type CollectorProcess, startCollectorProcess } from "../support/collector_process.ts";
import { makeTempHome } from "../support/beacon_bundle.ts";
import { buildGoOtlpPeer, runGoOtlpPeer } from "./support/build_go_otlp_peer.ts";
import { sendRawAndClose } from "./support/http2_frames.ts";
import { parseBeaconEvents } from "../support/beacon_event_schema.ts";

async function startWithGrpc(home: string): Promise<{ c: CollectorProcess; grpcPort: number }> {
  const policyPath = join(home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\ngrpc = true\ngrpc_listen = "127.0.0.1:0"\n` +
      `[runtime_log]\npath = "${join(home, "logs", "runtime.jsonl")}"\n`,
  );
  const c = await startCollectorProcess({ policyPath, home });
  const grpcPort = Number(/listening on 127\.0\.0\.1:(\d+) \(OTLP\/gRPC\)/.exec(c.output())?.[1]);
  assert.ok(grpcPort > 0, c.output());
  return { c, grpcPort };
}

/** The `session_id`s (the records' `conversation.id`) in the runtime log. */
async function sessionIds(home: string): Promise<Set<string>> {
  const path = join(home, "logs", "runtime.jsonl");
  const text = await Deno.readTextFile(path).catch(() => "");
  return new Set(parseBeaconEvents(text, path).map((event) => event.session_id as string));
}

const ERROR_LINE = /gRPC connection error/;

Deno.test("grpc-go clients that close normally leave no error in the collector's output; a real fault leaves one line", async () => {
  await buildGoOtlpPeer(); // before the collector starts: the first build may fetch modules
  await using tmp = await makeTempHome();
  const { c, grpcPort } = await startWithGrpc(tmp.home);
  await using _ = c;

  // Six connections of three calls, then one of 80 calls: that one crosses the listener's
  // stream cap, so the server's GOAWAY (session recycled) precedes one of the client's closes.
  const runs = [
    await runGoOtlpPeer({ port: grpcPort, connections: 6, calls: 3, marker: "short" }),
    await runGoOtlpPeer({ port: grpcPort, connections: 1, calls: 80, marker: "long" }),
  ];
  for (const run of runs) assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);

  const ids = await sessionIds(tmp.home);
  const expected = [
    ...Array.from({ length: 6 }, (_, conn) => [0, 1, 2].map((call) => `short-${conn}-${call}`)),
    Array.from({ length: 80 }, (_, call) => `long-0-${call}`),
  ].flat();
  const missing = expected.filter((id) => !ids.has(id));
  assert.deepEqual(missing, [], "every exported record is in the runtime log");

  // The last close happened before the peer exited; a moment for the collector to react to it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const afterNormalCloses = c.output();
  assert.doesNotMatch(afterNormalCloses, ERROR_LINE, afterNormalCloses);
  assert.doesNotMatch(afterNormalCloses, /^ {4}at /m, afterNormalCloses);

  // A real fault: bytes that are not HTTP/2 at all.
  await sendRawAndClose(grpcPort, new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  // Bounded, so a listener that swallows the fault fails the assertion below instead of hanging.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    c.waitForOutput(ERROR_LINE),
    new Promise((resolve) => (timer = setTimeout(resolve, 10_000))),
  ]);
  clearTimeout(timer);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const output = c.output();
  const lines = output.split("\n").filter((line) => ERROR_LINE.test(line));
  assert.equal(lines.length, 1, output);
  assert.match(lines[0], /bad client magic/, output);
  assert.doesNotMatch(output, /^ {4}at /m, output);

  const status = await c.stop("SIGTERM");
  assert.equal(status.code, 0, c.output());
});
