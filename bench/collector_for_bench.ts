/**
 * The collector as the benchmark runs it, in its own process so that its CPU time and memory
 * are measured apart from the load generator: the real pipeline with the default policy, and a
 * real durable runtime log (or, with `--no-op-log`, a log whose append does nothing, to show
 * what durability costs). Prints `{"port":N}` once listening; answers every `stats` line on
 * stdin with its CPU seconds and peak RSS.
 */
import process from "node:process";
import { join } from "node:path";
import { parsePolicy } from "../lib/policy/parse_policy.ts";
import { openRuntimeLog, type RuntimeLog } from "../lib/runtime_log/open_runtime_log.ts";
import { startCollector } from "../lib/collector/start_collector.ts";
import { harnessClassifier } from "../lib/collector/harness_classifier.ts";
import { DEFAULT_POLICY_TEXT } from "../lib/policy/load_policy.ts";

const noOp = Deno.args.includes("--no-op-log");
const dir = await Deno.makeTempDir({ prefix: "beacon-bench-" });
const policy = parsePolicy(DEFAULT_POLICY_TEXT, "built-in default");
const realLog = await openRuntimeLog({ path: join(dir, "runtime.jsonl") });
const log: RuntimeLog = noOp ? { ...realLog, append: () => Promise.resolve() } : realLog;
const collector = await startCollector({
  http: { hostname: "127.0.0.1", port: 0 },
  maxRequestBytes: policy.collector.max_request_bytes,
  mode: "user",
  version: "bench",
  log,
  classify: harnessClassifier(policy),
});
console.log(JSON.stringify({ port: collector.http.port }));

function peakRssBytes(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Number.isFinite(kib) ? kib * 1024 : Deno.memoryUsage().rss;
}

const decoder = new TextDecoder();
let pending = "";
for await (const chunk of Deno.stdin.readable) {
  pending += decoder.decode(chunk, { stream: true });
  let newline;
  while ((newline = pending.indexOf("\n")) >= 0) {
    const command = pending.slice(0, newline).trim();
    pending = pending.slice(newline + 1);
    if (command === "stats") {
      const cpu = process.cpuUsage();
      console.log(JSON.stringify({
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        peakRssBytes: peakRssBytes(),
        rssBytes: Deno.memoryUsage().rss,
        linesWritten: realLog.stats().linesWritten,
        batches: realLog.stats().batches,
      }));
    }
  }
}
await collector.close();
await realLog.close();
await Deno.remove(dir, { recursive: true });
