/**
 * Small requests that cost a naive receiver a lot, sent to `beacon collector run` as shipped
 * (single-file build, binary permissions) over every transport: the process stays up, its memory
 * stays in proportion to what it was sent, each request gets a quick, precise answer, and a
 * normal export sent meanwhile is answered.
 *
 * Found by an adversarial pass (issue 7, items 15 and 21): one resource of 4,000 attributes with
 * 40,000 empty log records (123 KB, 8.6 KB gzipped) made the collector copy the resource into
 * every record (4.4 GB, then "Fatal JavaScript out of memory"); too-deep protobuf over Connect
 * was answered `internal`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type CollectorProcess, startCollectorProcess } from "../support/collector_process.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { makeTempHome } from "../support/beacon_bundle.ts";
import {
  deeplyNestedLogsRequest,
  sharedResourceRequest,
  sharedResourceRequestJson,
} from "../support/hostile_otlp.ts";
import {
  BINARY_TRANSPORTS,
  type OtlpTarget,
  type OtlpTransport,
  sendOtlp,
} from "../support/otlp_transports.ts";
import type { OtlpSignal } from "../../lib/otlp/otlp_signal.ts";

const SIGNALS: OtlpSignal[] = ["logs", "traces", "metrics"];
const ALL_TRANSPORTS: OtlpTransport[] = [...BINARY_TRANSPORTS, "http-json", "connect-json"];

/** Peak and current resident memory of a process, in MiB (Linux). */
function memoryMiB(pid: number): { peak: number; now: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { peak: kib("VmHWM") / 1024, now: kib("VmRSS") / 1024 };
}

async function startWithGrpc(home: string): Promise<{ c: CollectorProcess; target: OtlpTarget }> {
  const policyPath = join(home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\ngrpc = true\ngrpc_listen = "127.0.0.1:0"\n` +
      `[runtime_log]\npath = "${join(home, "logs", "runtime.jsonl")}"\n`,
  );
  const c = await startCollectorProcess({ policyPath, home });
  const grpcPort = Number(/listening on 127\.0\.0\.1:(\d+) \(OTLP\/gRPC\)/.exec(c.output())?.[1]);
  assert.ok(grpcPort > 0, c.output());
  return { c, target: { url: c.url, grpcPort } };
}

/** Sends normal Codex exports one after another until `done` resolves; their latencies in ms. */
async function normalExportsUntil(url: string, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  done.finally(() => (finished = true));
  const latencies: number[] = [];
  for (let i = 0; !finished || i === 0; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/v1/logs`, {
      method: "POST",
      body: new Uint8Array(codexLogsBody(`normal-${i}`)),
      headers: { "content-type": "application/x-protobuf" },
    });
    await response.body?.cancel();
    assert.equal(response.status, 200, "a normal export is answered while hostile ones run");
    latencies.push(performance.now() - started);
  }
  return latencies;
}

function bodyFor(transport: OtlpTransport, signal: OtlpSignal, attributes: number, items: number) {
  return transport.endsWith("json")
    ? sharedResourceRequestJson(signal, attributes, items)
    : sharedResourceRequest(attributes, items);
}

Deno.test("one resource of 4,000 attributes over 40,000 records: every signal and transport, the process stays up and small", async () => {
  await using tmp = await makeTempHome();
  const { c, target } = await startWithGrpc(tmp.home);
  await using _ = c;
  const before = memoryMiB(c.child.pid);
  const results: string[] = [];
  const hostile = (async () => {
    for (const signal of SIGNALS) {
      for (const transport of ALL_TRANSPORTS) {
        const outcome = await sendOtlp(
          target,
          transport,
          signal,
          bodyFor(transport, signal, 4_000, 40_000),
        );
        results.push(`${signal} ${transport}: ${outcome.code} ${outcome.message}`.trim());
        assert.ok(
          outcome.accepted || outcome.code === "resource_exhausted",
          `${signal} over ${transport}: ${outcome.code} ${outcome.message}`,
        );
      }
    }
  })();
  const latencies = await normalExportsUntil(c.url, hostile.catch(() => {}));
  await hostile;
  const after = memoryMiB(c.child.pid);
  latencies.sort((a, b) => a - b);
  console.log(
    `  ${results.length} hostile requests; memory ${before.now.toFixed(0)} MiB -> peak ` +
      `${after.peak.toFixed(0)} MiB; ${latencies.length} normal exports meanwhile, median ` +
      `${latencies[latencies.length >> 1].toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
  );
  const health = await fetch(`${c.url}/healthz`);
  assert.equal(health.status, 200, "still serving");
  await health.body?.cancel();
  // 18 requests of 40,000 items each: a copy of the resource per item is 160 million attribute
  // values (gigabytes); sharing it keeps the peak within a few hundred MiB of the start.
  assert.ok(
    after.peak - before.now < 400,
    `peak memory grew by ${(after.peak - before.now).toFixed(0)} MiB:\n${results.join("\n")}`,
  );
  const status = await c.stop("SIGTERM");
  assert.equal(status.code, 0, c.output());
});

Deno.test("more items in one request than the collector's budget: 413 / resource_exhausted before decoding, on every transport", async () => {
  await using tmp = await makeTempHome();
  const { c, target } = await startWithGrpc(tmp.home);
  await using _ = c;
  const before = memoryMiB(c.child.pid);
  for (const transport of ALL_TRANSPORTS) {
    // 2 million empty records: 4 MB of protobuf (6 MB of JSON), far past the item budget of the
    // default 16 MiB body limit (16 MiB / 32 bytes).
    const outcome = await sendOtlp(target, transport, "logs", bodyFor(transport, "logs", 1, 2e6));
    assert.equal(outcome.code, "resource_exhausted", `${transport}: ${outcome.message}`);
    assert.match(outcome.message, /more than \d[\d,]* items/, `${transport}: ${outcome.message}`);
  }
  const after = memoryMiB(c.child.pid);
  console.log(`  memory ${before.now.toFixed(0)} MiB -> peak ${after.peak.toFixed(0)} MiB`);
  assert.ok(after.peak - before.now < 400, `peak grew ${(after.peak - before.now).toFixed(0)} MiB`);
  const ok = await sendOtlp(target, "grpc", "logs", codexLogsBody("after-budget"));
  assert.ok(ok.accepted, ok.message);
});

Deno.test("too-deep protobuf is the client's fault on every transport: invalid_argument, never internal", async () => {
  await using tmp = await makeTempHome();
  const { c, target } = await startWithGrpc(tmp.home);
  await using _ = c;
  const body = deeplyNestedLogsRequest(200);
  for (const transport of BINARY_TRANSPORTS) {
    const outcome = await sendOtlp(target, transport, "logs", body);
    assert.equal(outcome.code, "invalid_argument", `${transport}: ${outcome.message}`);
    assert.match(outcome.message, /nest deeper than \d+ levels/, transport);
  }
  const shallow = await sendOtlp(target, "connect", "logs", deeplyNestedLogsRequest(10));
  assert.ok(shallow.accepted, shallow.message);
});
