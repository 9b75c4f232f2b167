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
  // The binary's V8 heap limit (deno.json's compile task) reaches the collector process. (The
  // collector no longer loads node:v8, which could report it, to keep its idle memory low.)
  const commandLine = (await Deno.readTextFile(`/proc/${c.child.pid}/cmdline`)).split("\0");
  assert.ok(
    commandLine.some((word) => /^--v8-flags=.*--max-old-space-size=768\b/.test(word)),
    commandLine.join(" "),
  );
  assert.equal(health.counters.eventsWritten, 0);
});

/** A connection that sent `GET /healthz` and read its answer: kept alive, waiting. */
async function answeredConnection(port: number): Promise<Deno.Conn> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  await connection.write(new TextEncoder().encode("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"));
  assert.ok((await connection.read(new Uint8Array(4096))) !== null, "answered");
  return connection;
}

/** Reads one `/healthz` answer on `connection` after sending `request`. */
async function healthOn(connection: Deno.Conn, request: string) {
  await connection.write(new TextEncoder().encode(request));
  let text = "";
  const buffer = new Uint8Array(65536);
  while (!text.includes("\n}") && !/\}\n$/.test(text)) {
    const length = await connection.read(buffer);
    if (length === null) break;
    text += new TextDecoder().decode(buffer.subarray(0, length));
  }
  return JSON.parse(text.slice(text.indexOf("{")));
}

Deno.test("past max_connections, a connection in the middle of a request is kept and the newcomer closed unanswered", async () => {
  await using tmp = await makeTempHome();
  const policyPath = await writePolicy(tmp.home, "max_connections = 5");
  await using c = await startCollectorProcess({ policyPath, home: tmp.home });
  // Five connections, each in the middle of a request head.
  const held = await Promise.all(Array.from({ length: 5 }, async () => {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
    await connection.write(new TextEncoder().encode("GET /healthz HTTP/1.1\r\nhost: x\r\n"));
    return connection;
  }));
  // Connections are accepted in the order they arrive: the five are in before the sixth.
  const extra = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
  await extra.write(new TextEncoder().encode("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"))
    .catch(() => {});
  const read = await extra.read(new Uint8Array(64)).catch(() => null);
  assert.equal(read, null, "the sixth connection is closed without an answer");
  extra.close();
  // Finish a held request: it is answered, and the health document counts the refusal.
  const health = await healthOn(held[0], "\r\n");
  assert.ok(health.admission.connectionsRefused >= 1, JSON.stringify(health.admission));
  assert.equal(health.admission.connections, 5);
  for (const connection of held) connection.close();
});

Deno.test("past max_connections, a connection idle between requests makes room for a newcomer", async () => {
  await using tmp = await makeTempHome();
  const policyPath = await writePolicy(tmp.home, "max_connections = 5");
  await using c = await startCollectorProcess({ policyPath, home: tmp.home });
  const held = [];
  for (let index = 0; index < 5; index++) held.push(await answeredConnection(c.port));
  // The sixth is answered; the oldest idle connection was closed to make room.
  const extra = await Deno.connect({ hostname: "127.0.0.1", port: c.port });
  const health = await healthOn(extra, "GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
  assert.equal(health.admission.connectionsEvicted, 1);
  assert.equal(health.admission.connectionsRefused, 0);
  assert.equal(health.admission.connections, 5);
  assert.equal(await held[0].read(new Uint8Array(64)).catch(() => null), null, "closed");
  for (const connection of [...held, extra]) connection.close();
});
