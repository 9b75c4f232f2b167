/**
 * The collector's memory is bounded whatever clients do (issue 11): bodies in flight share one
 * budget (collector.max_buffered_bytes), connections are capped (collector.max_connections), and
 * past collector.memory_limit_mib new requests get 503 with Retry-After, as the OpenTelemetry
 * Collector's memory limiter does. Before: 250 connections that each sent 15 MiB of a body and
 * stalled took the collector to 3.9 GB.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startCollectorProcess } from "../support/collector_process.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { makeTempHome } from "../support/beacon_bundle.ts";

function peakRssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

async function writePolicy(home: string, collector: string): Promise<string> {
  const policyPath = join(home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n${collector}\n` +
      `[runtime_log]\npath = "${join(home, "logs", "runtime.jsonl")}"\n`,
  );
  return policyPath;
}

/** Declares a 16,000,000-byte body, sends up to `sendBytes` of it, and keeps the connection. */
async function stallingUpload(port: number, sendBytes: number): Promise<Deno.Conn> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = "POST /v1/logs HTTP/1.1\r\nhost: 127.0.0.1\r\n" +
    "content-type: application/x-protobuf\r\ncontent-length: 16000000\r\n\r\n";
  const chunk = new Uint8Array(1 << 20).fill(0x0a);
  try {
    await connection.write(new TextEncoder().encode(head));
    for (let sent = 0; sent < sendBytes; sent += chunk.length) await connection.write(chunk);
  } catch {
    // refused: the collector answered 503 and closed the connection
  }
  return connection;
}

function exportLogs(url: string, session: string): Promise<Response> {
  return fetch(`${url}/v1/logs`, {
    method: "POST",
    body: new Uint8Array(codexLogsBody(session)),
    headers: { "content-type": "application/x-protobuf" },
  });
}

Deno.test("100 stalled 15 MiB uploads hold at most the buffered-bytes budget; normal exports still land", async () => {
  await using tmp = await makeTempHome();
  const policyPath = await writePolicy(tmp.home, "max_buffered_bytes = 33554432");
  await using c = await startCollectorProcess({ policyPath, home: tmp.home });
  const before = peakRssMiB(c.child.pid);
  const connections = await Promise.all(
    Array.from({ length: 100 }, () => stallingUpload(c.port, 15 << 20)),
  );
  const response = await exportLogs(c.url, "during-stall");
  assert.equal(response.status, 200, "a small export fits beside the stalled bodies");
  await response.body?.cancel();
  const health = await (await fetch(`${c.url}/healthz`)).json();
  const peak = peakRssMiB(c.child.pid);
  console.log(
    `  peak RSS ${before.toFixed(0)} -> ${peak.toFixed(0)} MiB; refused for buffered bytes: ` +
      `${health.admission.refused.bufferedBytes}; buffered now ${health.admission.bufferedBytes}`,
  );
  assert.ok(health.admission.refused.bufferedBytes >= 90, JSON.stringify(health.admission));
  assert.ok(health.admission.bufferedBytes <= 33554432, JSON.stringify(health.admission));
  // 100 x 15 MiB would be 1.5 GB; the budget keeps the growth to a few times 32 MiB.
  assert.ok(peak - before < 250, `peak RSS grew by ${(peak - before).toFixed(0)} MiB`);
  for (const connection of connections) {
    try {
      connection.close();
    } catch {
      // already closed by the collector
    }
  }
  const status = await c.stop("SIGTERM");
  assert.equal(status.code, 0, c.output());
});

Deno.test("past memory_limit_mib, POSTs get 503 with Retry-After and nothing is written; /healthz still answers", async () => {
  await using tmp = await makeTempHome();
  // A limit below what the collector needs to run at all: every export is refused.
  const policyPath = await writePolicy(tmp.home, "memory_limit_mib = 64");
  await using c = await startCollectorProcess({ policyPath, home: tmp.home });
  const response = await exportLogs(c.url, "over-limit");
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "5");
  const message = new TextDecoder().decode(await response.arrayBuffer());
  assert.match(message, /memory limit of 64 MiB \(collector\.memory_limit_mib\)/);
  const health = await (await fetch(`${c.url}/healthz`)).json();
  assert.equal(health.admission.refused.memory, 1);
  // The binary's V8 heap limit (deno.json's compile task) reaches the collector process.
  // (V8 adds its young generation to the old-space limit; without the flag it is ~4 GB here.)
  const heapLimitMiB = health.admission.heapLimitBytes / 1048576;
  assert.ok(heapLimitMiB >= 768 && heapLimitMiB < 1024, `heap limit ${heapLimitMiB} MiB`);
  assert.equal(health.counters.eventsWritten, 0);
});

Deno.test("connections beyond max_connections are closed at once", async () => {
  await using tmp = await makeTempHome();
  const policyPath = await writePolicy(tmp.home, "max_connections = 5");
  await using c = await startCollectorProcess({ policyPath, home: tmp.home });
  // Five kept-alive connections, each answered once: the collector has accepted all five.
  const held = await Promise.all(Array.from({ length: 5 }, async () => {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
    await connection.write(new TextEncoder().encode("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"));
    assert.ok((await connection.read(new Uint8Array(4096))) !== null, "answered");
    return connection;
  }));
  const extra = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
  await extra.write(new TextEncoder().encode("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"))
    .catch(() => {});
  const read = await extra.read(new Uint8Array(64)).catch(() => null);
  assert.equal(read, null, "the sixth connection is closed without an answer");
  extra.close();
  // Ask on a held connection (a new one would be refused too).
  await held[0].write(new TextEncoder().encode("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"));
  const buffer = new Uint8Array(65536);
  const length = (await held[0].read(buffer)) ?? 0;
  const text = new TextDecoder().decode(buffer.subarray(0, length));
  const health = JSON.parse(text.slice(text.indexOf("{")));
  assert.equal(health.admission.connectionsRefused, 1);
  assert.equal(health.admission.connections, 5);
  for (const connection of held) connection.close();
});
