/**
 * A test collector (the options of `test_collector_options.ts`) with an OTLP/gRPC listener, in a
 * process of its own: Deno's HTTP/2 server can abort the whole process (denoland/deno#36788),
 * which must end one test, not the `deno test` run. Started by `spawn_collector_child.ts`:
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 --allow-read --allow-write=DIR collector_child.ts \
 *   --log=DIR/runtime.jsonl --policy="version = 1" [--now=2026-11-25T12:00:00.000Z]
 * ```
 *
 * Prints `{"http": N, "grpc": N}` on stdout once listening, then `{"error": "..."}` for each
 * message the collector reports. On SIGTERM it closes the collector and the log, prints
 * `{"closed": true}` and exits 0.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parsePolicy } from "../../lib/policy/parse_policy.ts";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { startCollector } from "../../lib/collector/start_collector.ts";
import { testCollectorOptions } from "./test_collector_options.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { log: { type: "string" }, policy: { type: "string" }, now: { type: "string" } },
});
if (!values.log || values.policy === undefined) {
  throw new Error("collector_child.ts needs --log=PATH and --policy=TOML");
}
const fixedNow = values.now === undefined ? undefined : new Date(values.now);
const policy = parsePolicy(values.policy, "test policy");
const log = await openRuntimeLog({ path: values.log });
const collector = await startCollector(testCollectorOptions({
  policy,
  log,
  grpc: true,
  now: fixedNow && (() => fixedNow),
  onError: (message) => console.log(JSON.stringify({ error: message })),
}));

Deno.addSignalListener("SIGTERM", async () => {
  await collector.close();
  await log.close();
  console.log(JSON.stringify({ closed: true }));
  Deno.exit(0);
});
console.log(JSON.stringify({ http: collector.http.port, grpc: collector.grpc!.port }));
