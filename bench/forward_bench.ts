/**
 * The forwarder's figures (issue 13): prints, asserts nothing.
 * 1. Delivery rate from a backlog: N events written to a runtime log first (rotated at 10 MiB,
 *    archives kept), then one destination started against a real OpenTelemetry Collector
 *    (tools/otel_gateway: OTLP receiver + file exporter) over http/protobuf and over grpc:
 *    events/s until every event is acknowledged, with this process's CPU seconds per 100k events
 *    and peak RSS. The gateway runs in its own process on the same CPUs, so this is a floor.
 * 2. The lag recount on that backlog: what the forwarder does at most every 2 s while it lags
 *    (list the files, count the line ends from the cursor; archives counted once then cached):
 *    the first count over every file, and the next ones (live file only).
 *
 * Usage: deno run --allow-all bench/forward_bench.ts [--events 100000] [--batch 1000]
 */
import { parseArgs } from "node:util";
import process from "node:process";
import * as v from "valibot";
import { PolicySchema } from "../lib/policy/policy_schema.ts";
import { openRuntimeLog } from "../lib/runtime_log/open_runtime_log.ts";
import { createForwarder } from "../lib/forward/start_forwarder.ts";
import { listLogFiles, readFileRange } from "../lib/forward/list_log_files.ts";
import { countLines } from "../lib/forward/take_complete_lines.ts";
import { otelGateway } from "../tests/support/otel_gateway.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    events: { type: "string", default: "100000" },
    batch: { type: "string", default: "1000" },
  },
});
const total = Number(values.events);
const batchMaxEvents = Number(values.batch);
const MiB = 2 ** 20;

function event(i: number) {
  return {
    schema_version: 1,
    id: `bench-${i}`,
    time: new Date(Date.UTC(2026, 10, 25, 12, 0, 0) + i).toISOString(),
    harness: "codex",
    harness_version: "0.169.0",
    kind: i % 3 === 0 ? "tool_result" : "prompt",
    session_id: `session-${Math.floor(i / 50)}`,
    source_event: "codex.user_prompt",
    model: "gpt-5.5",
    prompt: {
      mode: "redact",
      bytes: 120,
      text: "refactor the parser and run the tests ".repeat(3),
    },
    user: { email: { mode: "hash", bytes: 15, sha256: "ab".repeat(32) } },
  };
}

async function writeBacklog(dir: string): Promise<{ logPath: string; bytes: number }> {
  const logPath = `${dir}/runtime.jsonl`;
  const log = await openRuntimeLog({ path: logPath, maxBytes: 10 * MiB, archives: 999 });
  for (let start = 0; start < total; start += 1000) {
    const chunk = [];
    for (let i = start; i < Math.min(total, start + 1000); i++) chunk.push(event(i));
    await log.append(chunk as never);
  }
  await log.close();
  const files = await listLogFiles(logPath);
  return { logPath, bytes: files.reduce((n, f) => n + f.size, 0) };
}

async function deliver(protocol: "http/protobuf" | "grpc") {
  const dir = await Deno.makeTempDir({ prefix: "beacon-forward-bench-" });
  const gateway = await otelGateway(dir);
  await gateway.start();
  try {
    const { logPath, bytes } = await writeBacklog(dir);
    const port = protocol === "grpc" ? gateway.grpcPort : gateway.port;
    const policy = v.parse(PolicySchema, {
      destinations: [{
        name: "bench",
        endpoint: `http://127.0.0.1:${port}`,
        protocol,
        batch_max_events: batchMaxEvents,
        batch_delay_ms: 0,
        timeout_seconds: 60,
      }],
    });
    const forwarder = await createForwarder({
      logPath,
      destinations: policy.destinations,
      forwarding: policy.forwarding,
      archives: 999,
      resource: { hostName: "bench-host", version: "bench" },
      pollMs: 5,
      onLog: (line) => console.error(line),
    });
    const cpuBefore = process.cpuUsage();
    let peakRss = process.memoryUsage().rss;
    const started = performance.now();
    forwarder.start();
    while (forwarder.status()[0].delivered < total) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    await forwarder.stop();
    const status = forwarder.status()[0];
    console.log(
      `${protocol.padEnd(13)} ${total} events (${(bytes / MiB).toFixed(1)} MiB log) in ` +
        `${seconds.toFixed(2)} s: ${Math.round(total / seconds)} events/s, ` +
        `forwarder CPU ${((cpu.user + cpu.system) / 1e6 / (total / 1e5)).toFixed(2)} s per 100k, ` +
        `peak RSS ${(peakRss / MiB).toFixed(0)} MiB, retries ${status.retries}`,
    );
    return logPath;
  } finally {
    await gateway.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The forwarder's lag recount (see `#refreshLag` in start_forwarder.ts), timed on a backlog. */
async function lagRecount() {
  const dir = await Deno.makeTempDir({ prefix: "beacon-forward-bench-lag-" });
  try {
    const { logPath, bytes } = await writeBacklog(dir);
    const cache = new Map<string, number>();
    const recount = async () => {
      const started = performance.now();
      let events = 0;
      for (const file of await listLogFiles(logPath)) {
        const key = `${file.dev}:${file.ino}`;
        if (!file.live && cache.has(key)) {
          events += cache.get(key)!;
          continue;
        }
        const count = countLines(await readFileRange(file.path, 0, file.size));
        if (!file.live) cache.set(key, count);
        events += count;
      }
      return { events, ms: performance.now() - started };
    };
    const first = await recount();
    const next: number[] = [];
    for (let i = 0; i < 5; i++) next.push((await recount()).ms);
    next.sort((a, b) => a - b);
    console.log(
      `lag recount   ${first.events} events (${(bytes / MiB).toFixed(1)} MiB): first ` +
        `${first.ms.toFixed(1)} ms (every file), then median ${next[2].toFixed(1)} ms ` +
        `(archives cached, live file recounted)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

console.log(`forward bench: ${total} events, batch_max_events ${batchMaxEvents}`);
await deliver("http/protobuf");
await deliver("grpc");
await lagRecount();
