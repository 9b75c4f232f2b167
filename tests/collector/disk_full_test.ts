/**
 * The collector when its runtime log cannot take writes (disk full): requests get a retryable
 * status over every protocol, nothing half-written stays, `/healthz` says so, the problem is
 * reported once per incident, and writing resumes by itself when space returns.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { LogsService } from "../../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { codexLogsBody, codexLogsRequest } from "../support/codex_payloads.ts";
import { faultyFileSystem } from "../runtime_log/support/faulty_file_system.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";

Deno.test("disk full: 503 with Retry-After, Unavailable over Connect, one incident, recovery", async () => {
  const dir = await Deno.makeTempDir();
  const faulty = faultyFileSystem();
  const log = await openRuntimeLog({ path: join(dir, "runtime.jsonl"), openFile: faulty.openFile });
  const incidents: string[] = [];
  log.onIncident((error) => incidents.push(error.code));
  await using c = await startInProcessCollector({ log });
  try {
    const post = (session: string) =>
      fetch(`${c.url}/v1/logs`, {
        method: "POST",
        body: new Uint8Array(codexLogsBody(session)),
        headers: { "content-type": "application/x-protobuf" },
      });
    const first = await post("first");
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const before = await Deno.readTextFile(join(dir, "runtime.jsonl"));

    faulty.faults.write = { code: "ENOSPC", land: 10 };
    for (let i = 0; i < 5; i++) {
      const full = await post(`while-full-${i}`);
      assert.equal(full.status, 503);
      assert.equal(full.headers.get("retry-after"), "5");
      await full.body?.cancel();
    }
    const client = createClient(
      LogsService,
      createConnectTransport({ baseUrl: c.url, httpVersion: "1.1" }),
    );
    await assert.rejects(
      client.export(codexLogsRequest("connect-while-full")),
      (error: unknown) => ConnectError.from(error).code === Code.Unavailable,
    );
    const health = await fetch(`${c.url}/healthz`);
    assert.equal(health.status, 503);
    const document = await health.json();
    assert.equal(document.status, "degraded");
    assert.match(document.runtime_log.error, /space/i);
    assert.deepEqual(incidents, ["ENOSPC"], "reported once for the whole incident");
    assert.equal(
      await Deno.readTextFile(join(dir, "runtime.jsonl")),
      before,
      "nothing half-written",
    );

    faulty.faults.write = null;
    const after = await post("after-space-returns");
    assert.equal(after.status, 200);
    await after.body?.cancel();
    const sessions = (await readBeaconEvents(join(dir, "runtime.jsonl")))
      .map((event) => event.session_id);
    assert.ok(sessions.includes("after-space-returns"));
    assert.ok(
      !sessions.some((session) => String(session).includes("full")),
      "no refused request was written",
    );
    assert.equal((await (await fetch(`${c.url}/healthz`)).json()).status, "ok");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
