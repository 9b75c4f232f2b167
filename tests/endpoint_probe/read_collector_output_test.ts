/**
 * The read side against what Beacon's real collector writes: the events of a Codex-shaped
 * export are read back, summarised and found from an offset, and the collector's own health
 * answer drives the log-source warning.
 *
 * @module
 */
import assert from "node:assert/strict";
import { probeCollector } from "../../lib/endpoint/probe/probe_collector.ts";
import { runtimeLogSourceWarning } from "../../lib/endpoint/probe/runtime_log_source_warning.ts";
import {
  findEventInRuntimeLog,
  readRuntimeLog,
  summarizeRuntimeLog,
} from "../../lib/runtime_log/read_runtime_log.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";

async function exportLogs(url: string, body: Uint8Array): Promise<void> {
  const response = await fetch(`${url}/v1/logs`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf" },
    body: body.slice(), // a plain ArrayBuffer-backed copy, as fetch wants
  });
  await response.body?.cancel();
  assert.equal(response.status, 200);
}

Deno.test("what the collector writes is read back, summarised and found from an offset", async () => {
  await using collector = await startInProcessCollector();
  await exportLogs(collector.url, codexLogsBody("session-one", 3));
  const sinceBytes = (await Deno.stat(collector.logPath)).size;
  await exportLogs(collector.url, codexLogsBody("session-two", 4));

  const lines = [];
  for await (const line of readRuntimeLog(collector.logPath)) lines.push(line);
  assert.ok(lines.every((line) => line.error === undefined), JSON.stringify(lines));
  assert.deepEqual(lines.map((line) => [line.event?.session_id, line.event?.kind]), [
    ["session-one", "session_start"],
    ["session-one", "prompt"],
    ["session-one", "token_usage"],
    ["session-two", "session_start"],
    ["session-two", "prompt"],
    ["session-two", "token_usage"],
    ["session-two", "token_usage"],
  ]);

  const summary = await summarizeRuntimeLog(collector.logPath);
  assert.equal(summary.exists, true);
  assert.equal(summary.events, 7);
  assert.equal(summary.lastEventKind, "token_usage");
  assert.equal(summary.lastEventTime, lines[6].event?.time);
  // The collector's own count agrees with what is on disk.
  const probe = await probeCollector(collector.url);
  assert.equal(probe.health?.runtime_log.bytes, summary.bytes);
  assert.equal(probe.health?.counters.eventsWritten, 7);

  const found = await findEventInRuntimeLog(
    collector.logPath,
    (event) => event.kind === "session_start",
    { sinceBytes },
  );
  assert.equal(found?.event.session_id, "session-two");
  assert.equal(found?.offset, sinceBytes);
});

Deno.test("the running collector's health says when this command reads another log", async () => {
  await using collector = await startInProcessCollector();
  const probe = await probeCollector(collector.url);
  assert.equal(
    runtimeLogSourceWarning({ health: probe.health, readingPath: collector.logPath }),
    undefined,
  );
  const other = "/home/ada/.beacon/endpoint/logs/runtime.jsonl";
  assert.equal(
    runtimeLogSourceWarning({ health: probe.health, readingPath: other }),
    `The running user collector writes events to ${collector.logPath}, but this command is ` +
      `reading ${other}, which that collector does not write. It was started with another ` +
      "policy: pass that policy with --policy, or restart the collector with this one.",
  );
});
