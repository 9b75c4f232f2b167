/**
 * End to end: Beacon's collector (the shipped bundle, a separate process) forwards to a real
 * OpenTelemetry Collector gateway through an outage, a rotation while the gateway is down, a
 * SIGKILL and a SIGTERM of Beacon's collector, and a gateway restart. Every event in the local
 * log must reach the gateway at least once; duplicates carry the same id and are counted.
 */
import assert from "node:assert/strict";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { otelGateway } from "../support/otel_gateway.ts";
import { reservePort } from "../support/reserve_port.ts";

async function until(condition: () => boolean, what: string, tries = 1500) {
  for (let i = 0; i < tries; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function localIds(logPath: string): string[] {
  const ids: string[] = [];
  const dir = logPath.replace(/\/[^/]+$/, "");
  for (const entry of Deno.readDirSync(dir)) {
    if (!/^runtime\.jsonl(\.\d+)?$/.test(entry.name)) continue;
    for (const line of Deno.readTextFileSync(`${dir}/${entry.name}`).split("\n")) {
      if (line.trim()) ids.push(JSON.parse(line).id);
    }
  }
  return ids;
}

async function post(url: string, session: string, records: number) {
  const response = await fetch(`${url}/v1/logs`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf" },
    body: codexLogsBody(session, records) as Uint8Array<ArrayBuffer>,
  });
  await response.body?.cancel();
  assert.equal(response.status, 200);
}

Deno.test("forward to a real OpenTelemetry Collector: outage, rotation, SIGKILL, SIGTERM; nothing lost", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-forward-e2e-" });
  await using gateway = await otelGateway(home);
  const logPath = `${home}/logs/runtime.jsonl`;
  const policyPath = `${home}/policy.toml`;
  using collectorPort = reservePort();
  const listen = collectorPort.port;
  await Deno.writeTextFile(
    policyPath,
    `[collector]
listen = "127.0.0.1:${listen}"
[runtime_log]
path = "${logPath}"
max_bytes = 65536
archives = 1
[[destinations]]
name = "gateway"
endpoint = "http://127.0.0.1:${gateway.port}"
protocol = "http/protobuf"
batch_delay_ms = 20
batch_max_events = 200
retry_initial_ms = 20
retry_max_ms = 200
headers = { "x-beacon-team" = { env = "TEAM_HEADER" } }
`,
  );
  const env = { TEAM_HEADER: "platform" };
  let collector = await startCollectorProcess({ policyPath, home, env });
  try {
    await gateway.start();
    await post(collector.url, "before-outage", 20);
    const distinct = () => new Set(gateway.records().map((r) => r.attributes["log.record.uid"]));
    await until(() => distinct().size === 20, "the first events");
    // Delivered archives may be rotated away later: remember every id the log ever held.
    const seen = new Set<string>();
    const snapshot = () => {
      for (const id of localIds(logPath)) seen.add(id);
      return [...seen];
    };
    snapshot();

    // Outage: the gateway stops; enough events arrive to rotate several times (archives = 1).
    await gateway.stop("SIGTERM");
    for (let i = 0; i < 12; i++) await post(collector.url, `outage-${i}`, 60);
    snapshot();
    // Beacon's collector is SIGKILLed while it retries, and started again.
    await collector.stop("SIGKILL");
    collector = await startCollectorProcess({ policyPath, home, env });
    await post(collector.url, "after-kill", 30);
    await gateway.start();
    let ids = snapshot();
    await until(() => ids.every((id) => distinct().has(id)), "every event after the outage");

    // A graceful restart of Beacon's collector, and a gateway restart, then more events.
    await collector.stop("SIGTERM");
    collector = await startCollectorProcess({ policyPath, home, env });
    await gateway.stop("SIGTERM");
    await gateway.start();
    await post(collector.url, "after-restarts", 25);
    ids = snapshot();
    await until(() => ids.every((id) => distinct().has(id)), "every event after the restarts");

    const records = gateway.records();
    assert.equal(ids.length, 20 + 12 * 60 + 30 + 25, "every event the collector acknowledged");
    const duplicates = records.length - distinct().size;
    console.log(
      `forward e2e: ${ids.length} events, ${records.length} records at the gateway, ${duplicates} duplicate(s)`,
    );
    const sample = records.find((r) => r.attributes["event.name"] === "beacon.prompt")!;
    assert.equal(sample.resource["service.name"], "beacon");
    assert.equal(sample.resource["beacon.harness"], "codex");
    assert.equal(sample.resource["host.name"], Deno.hostname());
    assert.equal(sample.attributes["kind"], "prompt");
    assert.equal(sample.attributes["log.record.uid"], sample.attributes["id"]);
    assert.equal(sample.attributes["session_id"], "before-outage");

    const health = await (await fetch(`${collector.url}/healthz`)).json();
    const status = health.forwarding.destinations[0];
    assert.equal(status.name, "gateway");
    assert.equal(status.dropped, 0);
    assert.ok(status.last_success_at);
  } finally {
    await collector.stop("SIGTERM");
    await gateway.stop("SIGTERM");
    await Deno.remove(home, { recursive: true });
  }
});
