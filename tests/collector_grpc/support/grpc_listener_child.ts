/**
 * An OTLP/gRPC server in its own process, for tests that must survive (or witness) a crash of
 * the whole process. Usage:
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 grpc_listener_child.ts [--max-streams-per-session=N|Infinity]
 * deno run --allow-net=127.0.0.1 grpc_listener_child.ts --unguarded
 * ```
 *
 * By default it runs `startGrpcListener`. With `--unguarded` it runs what one would write
 * without knowing Deno's bugs: `node:http2`'s `createServer` with the same Connect adapter, and
 * only an `error` listener on each session (so that only a native crash can end it).
 *
 * Prints `{"port": N}` on stdout once listening. Its pipeline writes nothing to disk: the log
 * only counts the events appended (one per Export request). On SIGTERM it closes the server,
 * prints `{"appends": N, "stats": {...}}` and exits 0.
 *
 * @module
 */

import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { createExportPipeline } from "../../../lib/collector/export_pipeline.ts";
import { otlpConnectRoutes } from "../../../lib/collector/otlp_connect_routes.ts";
import { startGrpcListener } from "../../../lib/collector/grpc/start_grpc_listener.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    unguarded: { type: "boolean", default: false },
    "max-streams-per-session": { type: "string" },
  },
});

let appends = 0;
const pipeline = createExportPipeline({
  classify: (batch) => ({ events: [{ signal: batch.signal }], dropped: 0 }),
  log: {
    append(events) {
      appends += events.length;
      return Promise.resolve();
    },
  },
});
const routes = otlpConnectRoutes(pipeline, {});
const readMaxBytes = 4 << 20;

let port: number;
let close: () => Promise<unknown>;
let stats: () => unknown = () => ({});
if (values.unguarded) {
  const server = createServer(
    connectNodeAdapter({ routes, grpc: true, grpcWeb: false, connect: false, readMaxBytes }),
  );
  server.on("session", (session) => session.on("error", () => {}));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise((resolve) => server.close(resolve));
} else {
  const limit = values["max-streams-per-session"];
  const listener = await startGrpcListener({
    hostname: "127.0.0.1",
    port: 0,
    routes,
    readMaxBytes,
    maxStreamsPerSession: limit === undefined ? undefined : Number(limit),
    onError: (error) => console.error("listener error:", error),
  });
  port = listener.address.port;
  close = () => listener.close();
  stats = () => listener.stats();
}

Deno.addSignalListener("SIGTERM", async () => {
  await close();
  console.log(JSON.stringify({ appends, stats: stats() }));
  Deno.exit(0);
});
console.log(JSON.stringify({ port }));
