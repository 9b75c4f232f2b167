/**
 * The collector options every test collector uses, in the test process
 * (`in_process_collector.ts`) or in a child (`collector_child.ts`): Beacon's real classifier for
 * a policy, a real runtime log, loopback listeners on free ports.
 *
 * @module
 */
import type { Policy } from "../../lib/policy/policy_schema.ts";
import type { RuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import type { CollectorOptions } from "../../lib/collector/start_collector.ts";
import { harnessClassifier } from "../../lib/collector/harness_classifier.ts";

/** Options for `startCollector`; `grpc` adds an OTLP/gRPC listener (only ever in a child). */
export function testCollectorOptions(options: {
  policy: Policy;
  log: RuntimeLog;
  grpc?: boolean;
  now?: () => Date;
  onError: (message: string) => void;
}): CollectorOptions {
  const { policy } = options;
  return {
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
    log: options.log,
    classify: harnessClassifier(policy),
    onError: options.onError,
  };
}
