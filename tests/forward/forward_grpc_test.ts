/**
 * Forwarding over OTLP/gRPC (`protocol = "grpc"`): to a real OpenTelemetry Collector gateway, to
 * a second Beacon collector's gRPC listener, and to a grpc-js server scripted with the status
 * codes a real gateway does not give on demand (RESOURCE_EXHAUSTED with and without RetryInfo,
 * UNAVAILABLE, INVALID_ARGUMENT, partial success). The runtime log is real, on disk. Every
 * gRPC server runs in a process of its own (an HTTP/2 server may abort the process it runs in:
 * denoland/deno#36788); the forwarder under test, a gRPC client, runs here.
 */
import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import * as v from "valibot";
import type { ExportLogsServiceRequest } from "../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { PolicySchema } from "../../lib/policy/policy_schema.ts";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { createForwarder, type Forwarder } from "../../lib/forward/start_forwarder.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { otelGateway } from "../support/otel_gateway.ts";
import { reservePort } from "../support/reserve_port.ts";
import { startScriptedGrpcGateway } from "./support/scripted_grpc_gateway.ts";

function destination(name: string, url: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    endpoint: url,
    protocol: "grpc",
    batch_delay_ms: 0,
    retry_initial_ms: 1,
    retry_max_ms: 5000,
    ...extra,
  };
}

function event(i: number) {
  return {
    schema_version: 1,
    id: `id-${String(i).padStart(6, "0")}`,
    time: new Date(Date.UTC(2026, 10, 25, 12, 0, 0, i)).toISOString(),
    harness: "codex",
    kind: "prompt",
    session_id: "session-grpc",
    source_event: "codex.user_prompt",
    prompt: { mode: "keep", bytes: 5, text: `hello ${i}` },
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function withForwarder(
  destinations: unknown[],
  body: (context: {
    forwarder: Forwarder;
    append(events: unknown[]): Promise<void>;
    waits: number[];
  }) => Promise<void>,
) {
  const policy = v.parse(PolicySchema, { destinations });
  const dir = await Deno.makeTempDir({ prefix: "beacon-forward-grpc-" });
  const logPath = `${dir}/runtime.jsonl`;
  const waits: number[] = [];
  const forwarder = await createForwarder({
    logPath,
    destinations: policy.destinations,
    forwarding: policy.forwarding,
    archives: 5,
    resource: { hostName: "test-host", version: "0.0.0-test" },
    pollMs: 10,
    random: () => 1,
    secrets: { env: (name) => ({ TEAM: "platform" })[name], readTextFile: Deno.readTextFile },
    retryWait: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
  });
  const log = await openRuntimeLog({ path: logPath, retention: forwarder.retention });
  try {
    forwarder.start(() => log.stats().bytes);
    await body({ forwarder, append: (events) => log.append(events as never), waits });
  } finally {
    await forwarder.stop();
    await log.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const uidsOf = (request: ExportLogsServiceRequest) =>
  request.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords)).map((record) => {
    const uid = record.attributes.find((a) => a.key === "log.record.uid")!.value!.value;
    return uid.case === "stringValue" ? uid.value : "";
  });

Deno.test("forward grpc: RESOURCE_EXHAUSTED with RetryInfo waits as told, UNAVAILABLE backs off; headers as metadata", async () => {
  const gateway = await startScriptedGrpcGateway([
    { code: grpc.status.RESOURCE_EXHAUSTED, retryDelayMs: 1500 },
    { code: grpc.status.UNAVAILABLE },
    { code: grpc.status.DEADLINE_EXCEEDED },
    { code: 0 },
  ]);
  try {
    await withForwarder(
      [destination("gw", gateway.url, { headers: { "x-team": { env: "TEAM" } } })],
      async ({ forwarder, append, waits }) => {
        await append([event(1), event(2), event(3)]);
        await until(() => forwarder.status()[0].delivered === 3, "delivery");
        // RetryInfo's 1.5 s, then backoff from retry_initial_ms = 1 (random = 1): 2 ms, 4 ms.
        assert.deepEqual(waits, [1500, 2, 4]);
        const requests = await gateway.requests();
        assert.equal(requests.length, 4);
        assert.deepEqual(uidsOf(requests[3].body), ["id-000001", "id-000002", "id-000003"]);
        assert.deepEqual(requests[0].metadata["x-team"], ["platform"]);
        const status = forwarder.status()[0];
        assert.equal(status.retries, 3);
        assert.equal(status.protocol, "grpc");
        assert.match(status.last_error!.message, /gRPC DEADLINE_EXCEEDED: scripted/);
      },
    );
  } finally {
    await gateway.stop();
  }
});

Deno.test("forward grpc: INVALID_ARGUMENT and RESOURCE_EXHAUSTED without RetryInfo are not retried; partial success is counted", async () => {
  const gateway = await startScriptedGrpcGateway([
    { code: grpc.status.INVALID_ARGUMENT },
    { code: grpc.status.RESOURCE_EXHAUSTED },
    { code: 0, rejected: 1 },
  ]);
  try {
    await withForwarder([destination("gw", gateway.url)], async ({ forwarder, append, waits }) => {
      await append([event(1), event(2)]);
      await until(() => forwarder.status()[0].rejected === 2, "the first refusal");
      await append([event(3)]);
      await until(() => forwarder.status()[0].rejected === 3, "the second refusal");
      await append([event(4), event(5)]);
      await until(() => forwarder.status()[0].partially_rejected === 1, "the partial success");
      assert.deepEqual(waits, [], "nothing retried");
      assert.equal((await gateway.requests()).length, 3);
      const status = forwarder.status()[0];
      assert.equal(status.delivered, 1);
      assert.match(status.last_error!.message, /rejected 1 of 2 record\(s\): too old/);
    });
  } finally {
    await gateway.stop();
  }
});

Deno.test("forward grpc: a real OpenTelemetry Collector receives every event over OTLP/gRPC", async () => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-forward-grpc-gw-" });
  const gateway = await otelGateway(dir);
  await gateway.start();
  try {
    await withForwarder(
      [destination("gw", `http://127.0.0.1:${gateway.grpcPort}`, { batch_max_events: 40 })],
      async ({ forwarder, append }) => {
        for (let i = 0; i < 5; i++) {
          await append(Array.from({ length: 30 }, (_, j) => event(i * 30 + j)));
        }
        const ids = () => new Set(gateway.records().map((r) => r.attributes["log.record.uid"]));
        await until(() => ids().size === 150, "150 events at the gateway");
        const sample = gateway.records().find((r) =>
          r.attributes["log.record.uid"] === "id-000007"
        )!;
        assert.equal(sample.attributes["event.name"], "beacon.prompt");
        assert.equal(sample.attributes["prompt.text"], "hello 7");
        assert.equal(sample.resource["beacon.harness"], "codex");
        assert.equal(sample.resource["host.name"], "test-host");
        // The gateway writes a batch before its acknowledgement reaches the forwarder.
        await until(() => forwarder.status()[0].delivered === 150, "150 acknowledged");
      },
    );
  } finally {
    await gateway.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("forward grpc: a second Beacon collector is a peer: every forwarded event is in its log, ids kept, its own content rules applied", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-forward-grpc-peer-" });
  using listen = reservePort();
  using grpcListen = reservePort();
  const grpcPort = grpcListen.port;
  const policyPath = `${home}/policy.toml`;
  await Deno.writeTextFile(
    policyPath,
    `[collector]
listen = "127.0.0.1:${listen.port}"
grpc = true
grpc_listen = "127.0.0.1:${grpcPort}"
[runtime_log]
path = "${home}/logs/runtime.jsonl"
`,
  );
  const peer = await startCollectorProcess({ policyPath, home });
  try {
    await withForwarder(
      [destination("peer", `http://127.0.0.1:${grpcPort}`)],
      async ({ forwarder, append }) => {
        await append(Array.from({ length: 25 }, (_, i) => event(i)));
        await until(() => forwarder.status()[0].delivered === 25, "25 acknowledged events");
        const health = await (await fetch(`${peer.url}/healthz`)).json();
        assert.equal(health.counters.recordsFromOtherServices, 0);
        assert.equal(health.counters.eventsWritten, 25);
        assert.equal(forwarder.status()[0].last_error, null);
        const lines = (await Deno.readTextFile(`${home}/logs/runtime.jsonl`)).trim().split("\n")
          .map((line) => JSON.parse(line));
        assert.deepEqual(
          lines.map((line) => line.id),
          Array.from({ length: 25 }, (_, i) => event(i).id),
        );
        // The peer's default policy drops prompts: the sender kept them, the peer does not.
        assert.deepEqual(lines[0].prompt, { mode: "drop", bytes: 5 });
        assert.equal(lines[0].session_id, "session-grpc");
      },
    );
  } finally {
    await peer.stop("SIGTERM");
    await Deno.remove(home, { recursive: true });
  }
});
