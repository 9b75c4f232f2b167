/**
 * `deno task bench`: the collector under load. Sends Codex-shaped log batches (a real capture:
 * 32 records, what Codex sends per turn) over OTLP/HTTP protobuf and prints:
 * 1. closed-loop throughput at rising concurrency: records per second, p50/p99 acknowledgement
 *    latency, collector CPU seconds per 100k records and peak RSS, first with durable writes
 *    (write + fsync before every acknowledgement, group-committed), then with the runtime log's
 *    write replaced by a no-op, so the cost of durability is visible;
 * 2. latency at a steady 1,000 records/s (open loop), the rate of a busy developer machine;
 * 3. idle RSS, and RSS while 1,000,000 records go through (growth means a leak);
 * 4. the wall time of `beacon endpoint status` with the collector running;
 * 5. first, Beacon's bundled collector beside the floor (a Node server that only appends and
 *    fdatasyncs), each alone: records/s, latency, CPU per 100k records, idle and peak RSS, and
 *    Beacon's figures as ratios to the floor's (bench/receivers_side_by_side.ts).
 * 6. the wall time of the same `codex exec` turn (real Codex CLI, mock model provider) without
 *    Beacon and with it (bench/codex_with_beacon.ts);
 * The collector runs in its own process (bench/collector_for_bench.ts); the load generator
 * shares the machine's CPUs with it, so the figures are a floor.
 *
 * Usage: deno task bench [--seconds N] [--concurrency 1,4,16,64] [--soak-records N]
 *   [--dashboard-events N] (0 skips the dashboard) [--codex-runs N] (0 skips Codex's run time)
 * Results are recorded in bench/RESULTS.md. Forwarding has its own entry: bench/forward_bench.ts.
 */
import { parseArgs } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { measureEndpointStatus } from "./endpoint_status.ts";
import { describeTimes, measureCiStart } from "./ci_start.ts";
import { measureDashboard } from "./dashboard_bench.ts";
import { measureReceiversSideBySide } from "./receivers_side_by_side.ts";
import { describeCodexWithBeacon, measureCodexWithBeacon } from "./codex_with_beacon.ts";
import { BINARY_PERMISSION_FLAGS, bundleBeacon } from "../tests/support/beacon_bundle.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "1,4,16,64" },
    "soak-records": { type: "string", default: "1000000" },
    "dashboard-events": { type: "string", default: "1000000" },
    "codex-runs": { type: "string", default: "8" },
  },
});
const seconds = Number(values.seconds);
const levels = values.concurrency!.split(",").map(Number);
const soakRecords = Number(values["soak-records"]);

const CAPTURE = new URL(
  "../fixtures/codex-0.169/runs/02-http-binary-logs/0072-http-logs.pb",
  import.meta.url,
);
const body = await Deno.readFile(CAPTURE);
const recordsPerRequest = fromBinary(ExportLogsServiceRequestSchema, body).resourceLogs
  .flatMap((r) => r.scopeLogs).reduce((n, s) => n + s.logRecords.length, 0);
const MiB = 2 ** 20;

interface Stats {
  cpuSeconds: number;
  peakRssBytes: number;
  rssBytes: number;
}

async function startCollector(noOp: boolean) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./collector_for_bench.ts", import.meta.url).pathname,
      ...(noOp ? ["--no-op-log"] : []),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextLine = async (): Promise<string> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error("collector exited");
      buffered += value;
    }
    const index = buffered.indexOf("\n");
    const line = buffered.slice(0, index);
    buffered = buffered.slice(index + 1);
    return line;
  };
  const { port } = JSON.parse(await nextLine());
  return {
    url: `http://127.0.0.1:${port}/v1/logs`,
    async stats(): Promise<Stats> {
      await writer.write(new TextEncoder().encode("stats\n"));
      return JSON.parse(await nextLine());
    },
    async stop() {
      await writer.close();
      await child.status;
    },
  };
}

async function send(url: string): Promise<number | undefined> {
  const start = performance.now();
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-protobuf" },
  });
  await response.arrayBuffer();
  return response.status === 200 ? performance.now() - start : undefined;
}

function percentiles(latencies: number[]) {
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Closed loop: `concurrency` senders, each sending the next batch once the last is answered. */
async function closedLoop(url: string, concurrency: number, durationMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const latency = await send(url);
      if (latency === undefined) failures++;
      else latencies.push(latency);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return { requests: latencies.length, failures, elapsed, ...percentiles(latencies) };
}

/** Open loop: batches sent at a fixed rate whatever the answers, as real senders do. */
async function openLoop(url: string, recordsPerSecond: number, durationMs: number) {
  const interval = 1000 * recordsPerRequest / recordsPerSecond;
  const latencies: number[] = [];
  let failures = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let next = started; next < started + durationMs; next += interval) {
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      send(url).then((latency) => {
        if (latency === undefined) failures++;
        else latencies.push(latency);
      }),
    );
  }
  await Promise.all(pending);
  return { requests: latencies.length, failures, ...percentiles(latencies) };
}

// Side by side with the floor (issue 11): Beacon's bundle against a Node server that only
// appends and fdatasyncs, each alone, the same payload; figures and ratios.
const sideBySide = await measureReceiversSideBySide({
  body,
  recordsPerRequest,
  seconds,
  bundle: await bundleBeacon(),
  permissionFlags: BINARY_PERMISSION_FLAGS,
});
console.error(sideBySide.markdown);

const ms = (value: number) => value.toFixed(2);
const throughputRows: string[] = [];
let idleRss = 0;
for (const noOp of [false, true]) {
  const collector = await startCollector(noOp);
  if (!noOp) idleRss = (await collector.stats()).rssBytes;
  await closedLoop(collector.url, 4, 1000); // warm up
  for (const concurrency of levels) {
    const before = await collector.stats();
    const result = await closedLoop(collector.url, concurrency, seconds * 1000);
    const after = await collector.stats();
    const records = result.requests * recordsPerRequest;
    const row = `| ${noOp ? "no-op write" : "durable (fsync)"} | ${concurrency} | ${
      Math.round(records / result.elapsed).toLocaleString("en-US")
    } | ${ms(result.p50)} | ${ms(result.p99)} | ${
      ((after.cpuSeconds - before.cpuSeconds) / records * 100_000).toFixed(2)
    } | ${(after.peakRssBytes / MiB).toFixed(0)} | ${result.failures} |`;
    throughputRows.push(row);
    console.error(row);
  }
  await collector.stop();
}

// Steady rate and soak, durable.
const collector = await startCollector(false);
const steady = await openLoop(collector.url, 1000, seconds * 2000);
console.error(`steady 1,000 records/s: p50 ${ms(steady.p50)} ms, p99 ${ms(steady.p99)} ms`);
const soakRows: string[] = [];
const checkpoints = 10;
const requestsPerCheckpoint = Math.ceil(soakRecords / recordsPerRequest / checkpoints);
for (let checkpoint = 1; checkpoint <= checkpoints; checkpoint++) {
  let sent = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (sent < requestsPerCheckpoint) {
      sent++;
      await send(collector.url);
    }
  }));
  const stats = await collector.stats();
  soakRows.push(
    `| ${(checkpoint * requestsPerCheckpoint * recordsPerRequest).toLocaleString("en-US")} | ${
      (stats.rssBytes / MiB).toFixed(0)
    } |`,
  );
  console.error(soakRows.at(-1));
}
await collector.stop();

const statusTimes = await measureEndpointStatus(10);
const statusMedian = statusTimes[Math.floor(statusTimes.length / 2)];
const ciTimes = await measureCiStart(10);

console.log(`
## Beside the floor

Each receiver alone, the same real Codex payload, OTLP/HTTP protobuf, measured through /proc.

${sideBySide.markdown}

## Collector benchmark

${recordsPerRequest} records per request (a real Codex capture), ${seconds} s per level, ${navigator.hardwareConcurrency} CPUs
shared by the collector and the load generator, Deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch}.
Latency is from sending a request to its acknowledgement.

| log | concurrency | records/s | p50 ms | p99 ms | collector CPU s / 100k records | peak RSS MiB | failed |
|---|---|---|---|---|---|---|---|
${throughputRows.join("\n")}

Steady 1,000 records/s (open loop, durable): p50 ${ms(steady.p50)} ms, p99 ${
  ms(steady.p99)
} ms, ${steady.failures} failed.

Idle RSS (durable collector, before any request): ${(idleRss / MiB).toFixed(0)} MiB.

RSS while ${soakRecords.toLocaleString("en-US")} records go through (durable, 16 senders):

| records so far | RSS MiB |
|---|---|
${soakRows.join("\n")}

\`beacon endpoint status\` with the collector running (wall time of the whole command, process start
included, 10 runs): median ${statusMedian.toFixed(0)} ms, max ${statusTimes.at(-1)!.toFixed(0)} ms.

\`beacon ci start\` until the run's collector answers /healthz (whole command, 10 runs):
${describeTimes(ciTimes.start)}; \`beacon ci finish\` of an empty run: ${
  describeTimes(ciTimes.finish)
}.
`);

const codexRuns = Number(values["codex-runs"]);
if (codexRuns > 0) {
  console.log(`## Codex with and without Beacon

${describeCodexWithBeacon(await measureCodexWithBeacon(codexRuns))}
`);
}

const dashboardEvents = Number(values["dashboard-events"]);
if (dashboardEvents > 0) console.log(await measureDashboard(dashboardEvents));
