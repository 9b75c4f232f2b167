/**
 * Clients that go away mid-request are normal (a Codex that exits mid-export does it): the
 * collector counts them and writes at most one line per incident to its output (collector.log
 * under a service), never a stack trace. Found by an adversarial pass (issue 7, item 19): 3,000
 * aborted POSTs wrote 1.5 MB of stack traces.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startCollectorProcess } from "../support/collector_process.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { makeTempHome } from "../support/beacon_bundle.ts";
import { waitUntil } from "../support/wait_until.ts";

/** A POST that declares a body, sends part of it, and closes the connection. */
async function abortedPost(port: number, path: string): Promise<void> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  // Each path's own content type, so the body is read (a Connect route refuses
  // application/x-protobuf with 415 before reading, and that request was answered).
  const type = path.startsWith("/v1/") ? "application/x-protobuf" : "application/proto";
  const head = `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
    `content-type: ${type}\r\ncontent-length: 100000\r\n\r\n`;
  await connection.write(new TextEncoder().encode(head + "x".repeat(500)));
  connection.close();
}

Deno.test("300 aborted requests: counted in /healthz, no stack trace, at most a line per incident", async () => {
  await using tmp = await makeTempHome();
  const policyPath = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n` +
      `[runtime_log]\npath = "${join(tmp.home, "logs", "runtime.jsonl")}"\n`,
  );
  await using c = await startCollectorProcess({ policyPath, home: tmp.home });
  const startOutput = c.output().length;
  for (let round = 0; round < 30; round++) {
    await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          abortedPost(
            c.port,
            ["/v1/logs", "/v1/traces", "/opentelemetry.proto.collector.logs.v1.LogsService/Export"][
              i % 3
            ],
          ),
      ),
    );
  }
  // The collector still answers, and a normal export after the storm is written.
  const response = await fetch(`${c.url}/v1/logs`, {
    method: "POST",
    body: new Uint8Array(codexLogsBody("after-aborts")),
    headers: { "content-type": "application/x-protobuf" },
  });
  assert.equal(response.status, 200);
  await response.body?.cancel();
  // The server sees each close on its own schedule: read until every one is counted.
  let health: { requests?: { aborted?: number } } = {};
  try {
    await waitUntil("every aborted request to be counted", async () => {
      health = await (await fetch(`${c.url}/healthz`)).json();
      return (health.requests?.aborted ?? 0) >= 300;
    });
  } catch {
    // Fewer than 300 ever counted: the assertion below says how many.
  }
  assert.equal(
    health.requests?.aborted,
    300,
    `aborted requests counted: ${JSON.stringify(health.requests)}`,
  );
  const status = await c.stop("SIGTERM");
  assert.equal(status.code, 0);
  const output = c.output().slice(startOutput);
  assert.doesNotMatch(output, /^\s+at /m, `no stack trace:\n${output.slice(0, 2000)}`);
  const lines = output.split("\n").filter((line) => /abort|went away|request failed/i.test(line));
  assert.ok(lines.length <= 2, `at most a line per incident, got ${lines.length}:\n${output}`);
});
