/**
 * A collector started in the test process with a real runtime log in a temporary folder and
 * Beacon's real classifier, for tests of the wire behaviour.
 */
import { join } from "node:path";
import { parsePolicy } from "../../lib/policy/parse_policy.ts";
import { openRuntimeLog, type RuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { type RunningCollector, startCollector } from "../../lib/collector/start_collector.ts";
import { harnessClassifier } from "../../lib/collector/harness_classifier.ts";
import { parseBeaconEvents } from "./beacon_event_schema.ts";

/** A running in-process collector and where it writes. */
export interface InProcessCollector extends AsyncDisposable {
  url: string;
  /** The OTLP/gRPC port, when started with `grpc: true`. */
  grpcPort?: number;
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
    /** Also serve OTLP/gRPC on a free port (`grpcPort`). */
    grpc?: boolean;
    /** The collector's clock (events' `received_at`). */
    now?: () => Date;
  } = {},
): Promise<InProcessCollector> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-collector-" });
  const logPath = join(dir, "runtime.jsonl");
  const policy = parsePolicy(options.policyText ?? "version = 1\n", "test policy");
  const log = options.log ?? await openRuntimeLog({ path: logPath });
  const errors: string[] = [];
  const collector = await startCollector({
    http: { hostname: "127.0.0.1", port: 0 },
    grpc: options.grpc ? { hostname: "127.0.0.1", port: 0 } : undefined,
    now: options.now,
    token: policy.collector.token,
    maxRequestBytes: policy.collector.max_request_bytes,
    limits: {
      // The memory limiter measures the whole process, here the test runner with every test
      // file loaded: it is tested on a collector process of its own (memory_limits_test.ts).
      memoryLimitBytes: Number.MAX_SAFE_INTEGER,
      maxBufferedBytes: policy.collector.max_buffered_bytes,
      maxConnections: policy.collector.max_connections,
    },
    mode: "user",
    version: "test",
    log,
    classify: harnessClassifier(policy),
    onError: (message) => errors.push(message),
  });
  return {
    url: `http://127.0.0.1:${collector.http.port}`,
    grpcPort: collector.grpc?.port,
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
