/**
 * A gRPC listener in its own process, for tests that must survive (or witness) a crash of the
 * whole process. Usage:
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 grpc_listener_child.ts [maxStreamsPerSession|Infinity [maxConcurrentStreams]]
 * ```
 *
 * Prints `{"port": N}` on stdout once listening. Its pipeline writes nothing to disk: the log
 * only counts the events appended (one per Export request). On SIGTERM it closes the listener,
 * prints `{"appends": N, "stats": {...}}` and exits 0.
 *
 * @module
 */

import { createExportPipeline } from "../../../lib/collector/export_pipeline.ts";
import { otlpConnectRoutes } from "../../../lib/collector/otlp_connect_routes.ts";
import { startGrpcListener } from "../../../lib/collector/grpc/start_grpc_listener.ts";

const [limit, concurrency] = [0, 1].map((i) =>
  Deno.args[i] === undefined ? undefined : Number(Deno.args[i])
);
let appends = 0;
const pipeline = createExportPipeline({
  classify: (signal) => ({ events: [{ signal }], dropped: 0 }),
  log: {
    append(events) {
      appends += events.length;
      return Promise.resolve();
    },
  },
});
const listener = await startGrpcListener({
  hostname: "127.0.0.1",
  port: 0,
  routes: otlpConnectRoutes(pipeline, {}),
  readMaxBytes: 4 << 20,
  maxStreamsPerSession: limit,
  maxConcurrentStreams: concurrency,
  onError: (error) => console.error("listener error:", error),
});
Deno.addSignalListener("SIGTERM", async () => {
  await listener.close();
  console.log(JSON.stringify({ appends, stats: listener.stats() }));
  Deno.exit(0);
});
console.log(JSON.stringify({ port: listener.address.port }));
