/**
 * Microbenchmark of `classifyCodexLogRecord`: the time to classify one record of a real Codex
 * capture (fixtures/codex-0.169/runs/02-http-binary-logs/0072-http-logs.pb) under a policy
 * (the built-in default unless `--policy FILE`), per `event.name` (with `event.kind` for
 * `codex.sse_event`). Decoding is done once, outside the timed loop.
 *
 * Usage: deno run --allow-read bench/classify_bench.ts [--policy FILE] [--ms N] [--capture FILE]
 */
import { parseArgs } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { classifyCodexLogRecord } from "../lib/harness/codex/classify_codex_log_record.ts";
import { type FlatLogRecord, flattenLogRecords } from "../lib/otlp/flatten_log_records.ts";
import { ExportLogsServiceRequestSchema } from "../lib/otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { parsePolicy } from "../lib/policy/parse_policy.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    policy: { type: "string" },
    ms: { type: "string", default: "400" },
    capture: { type: "string" },
  },
});

const capture = values.capture ??
  new URL("../fixtures/codex-0.169/runs/02-http-binary-logs/0072-http-logs.pb", import.meta.url)
    .pathname;
const policyPath = values.policy ?? new URL("../policies/default.toml", import.meta.url).pathname;
const policy = parsePolicy(Deno.readTextFileSync(policyPath), policyPath);
const records = flattenLogRecords(
  fromBinary(ExportLogsServiceRequestSchema, Deno.readFileSync(capture)),
);
const context = { policy, receivedAt: new Date("2030-01-01T00:00:00Z") };
const budgetMs = Number(values.ms);

function groupOf(record: FlatLogRecord): string {
  const name = String(record.attributes["event.name"] ?? "(no event.name)");
  if (name !== "codex.sse_event") return name;
  const kind = String(record.attributes["event.kind"] ?? "");
  if (kind !== "response.completed") return `${name} (other)`;
  return record.attributes["input_token_count"] === undefined
    ? `${name} response.completed (no counts)`
    : `${name} response.completed`;
}

const groups = new Map<string, FlatLogRecord[]>();
for (const record of records) {
  const group = groupOf(record);
  groups.set(group, [...(groups.get(group) ?? []), record]);
}

/** Mean microseconds per record over batches of `batch`, best of several rounds. */
function measure(batch: readonly FlatLogRecord[]): number {
  let sink = 0;
  const run = (times: number) => {
    for (let t = 0; t < times; t++) {
      for (const record of batch) sink += classifyCodexLogRecord(record, context) ? 1 : 0;
    }
  };
  run(2000); // warm up
  let best = Infinity;
  const deadline = performance.now() + budgetMs;
  while (performance.now() < deadline) {
    const start = performance.now();
    const times = 500;
    run(times);
    best = Math.min(best, ((performance.now() - start) * 1000) / (times * batch.length));
  }
  if (sink < 0) console.log(sink);
  return best;
}

console.log(`capture: ${capture}`);
console.log(`policy: ${policyPath}`);
console.log(`${records.length} records\n`);
const rows: Array<[string, number, number]> = [];
for (const [group, batch] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
  rows.push([group, batch.length, measure(batch)]);
}
const all = measure(records);
const width = Math.max(...rows.map(([group]) => group.length), 20);
console.log(`${"event".padEnd(width)}  records  µs/record`);
for (const [group, count, us] of rows) {
  console.log(`${group.padEnd(width)}  ${String(count).padStart(7)}  ${us.toFixed(2).padStart(9)}`);
}
console.log(
  `${"whole capture".padEnd(width)}  ${String(records.length).padStart(7)}  ${
    all.toFixed(2).padStart(9)
  }  (${Math.round(1e6 / all).toLocaleString("en")} records/s on one core)`,
);
