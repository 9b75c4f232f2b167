/**
 * A collector started in the test process with a real runtime log in a temporary folder and
 * Beacon's real classifier, for tests of the wire behaviour. HTTP/1.1 only: a collector with an
 * OTLP/gRPC listener runs in a child process (`spawn_collector_child.ts`), because Deno's HTTP/2
 * server can abort the whole process (denoland/deno#36788).
 */
import { join } from "node:path";
import { parsePolicy } from "../../lib/policy/parse_policy.ts";
import { openRuntimeLog, type RuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { type RunningCollector, startCollector } from "../../lib/collector/start_collector.ts";
import { parseBeaconEvents } from "./beacon_event_schema.ts";
import { testCollectorOptions } from "./test_collector_options.ts";

/** A running in-process collector and where it writes. */
export interface InProcessCollector extends AsyncDisposable {
  url: string;
  logPath: string;
  collector: RunningCollector;
  log: RuntimeLog;
  errors: string[];
  /** The runtime log's lines, parsed. */
  events(): Promise<Record<string, unknown>[]>;
}

/** Starts a collector on a free loopback port. `policyText` is a policy file's TOML. */
export async function startInProcessCollector(
  options: {
    policyText?: string;
    log?: RuntimeLog;
    /** The collector's clock (events' `received_at`). */
    now?: () => Date;
  } = {},
): Promise<InProcessCollector> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-collector-" });
  const logPath = join(dir, "runtime.jsonl");
  const policy = parsePolicy(options.policyText ?? "version = 1\n", "test policy");
  const log = options.log ?? await openRuntimeLog({ path: logPath });
  const errors: string[] = [];
  const collector = await startCollector(testCollectorOptions({
    policy,
    log,
    now: options.now,
    onError: (message) => errors.push(message),
  }));
  return {
    url: `http://127.0.0.1:${collector.http.port}`,
    logPath: log.path,
    collector,
    log,
    errors,
    async events() {
      const text = await Deno.readTextFile(log.path).catch(() => "");
      return parseBeaconEvents(text, log.path);
    },
    async [Symbol.asyncDispose]() {
      await collector.close();
      await log.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
