/**
 * `deno task bench`: the collector under load. Sends Codex-shaped log batches (a real capture:
 * 32 records, as Codex sends per turn) over OTLP/HTTP protobuf at rising concurrency and prints
 * records per second, p50/p99 acknowledgement latency, collector CPU seconds per 100k records
 * and peak RSS; then the same with the runtime log's write replaced by a no-op, so the cost of
 * durability (write + fsync before every acknowledgement) is visible.
 *
 * Usage: deno task bench [--seconds N] [--concurrency 1,4,16,64]
 * Results are recorded in bench/RESULTS.md.
 */
import { parseArgs } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { ExportLogsServiceRequestSchema } from "../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "1,4,16,64" },
  },
});
const seconds = Number(values.seconds);
const levels = values.concurrency!.split(",").map(Number);

const CAPTURE = new URL(
  "../fixtures/codex-0.169/runs/02-http-binary-logs/0072-http-logs.pb",
  import.meta.url,
);
const body = await Deno.readFile(CAPTURE);
const recordsPerRequest = fromBinary(ExportLogsServiceRequestSchema, body).resourceLogs
  .flatMap((r) => r.scopeLogs).reduce((n, s) => n + s.logRecords.length, 0);

interface Stats {
  cpuSeconds: number;
  peakRssBytes: number;
}

async function startCollector(noOp: boolean) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./collector_under_test.ts", import.meta.url).pathname,
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

async function load(url: string, concurrency: number, durationMs: number) {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const response = await fetch(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/x-protobuf" },
      });
      await response.arrayBuffer();
      if (response.status === 200) latencies.push(performance.now() - start);
      else failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, failures, elapsed, p50: at(0.5), p99: at(0.99) };
}

const rows: string[] = [];
for (const noOp of [false, true]) {
  const collector = await startCollector(noOp);
  await load(collector.url, 4, 1000); // warm up
  for (const concurrency of levels) {
    const before = await collector.stats();
    const result = await load(collector.url, concurrency, seconds * 1000);
    const after = await collector.stats();
    const records = result.requests * recordsPerRequest;
    const row = [
      noOp ? "no-op write" : "durable (fsync)",
      concurrency,
      Math.round(records / result.elapsed).toLocaleString("en-US"),
      result.p50.toFixed(2),
      result.p99.toFixed(2),
      ((after.cpuSeconds - before.cpuSeconds) / records * 100_000).toFixed(2),
      (after.peakRssBytes / 2 ** 20).toFixed(0),
      result.failures,
    ].join(" | ");
    rows.push(`| ${row} |`);
    console.log(`| ${row} |`);
  }
  await collector.stop();
}

console.log(`
Collector benchmark: ${recordsPerRequest} records per request (real Codex capture), ${seconds} s per level,
${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}. Latency is request to acknowledgement (ms).

| log | concurrency | records/s | p50 ms | p99 ms | collector CPU s / 100k records | peak RSS MiB | failed |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}`);
