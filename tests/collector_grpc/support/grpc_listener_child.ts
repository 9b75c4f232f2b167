/**
 * An OTLP/gRPC server in its own process, for every test of the gRPC listener: Deno's HTTP/2
 * server can abort the whole process (denoland/deno#36788), and that must end one test, not the
 * `deno test` run. Usage:
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 grpc_listener_child.ts [--max-streams-per-session=N|Infinity]
 *   [--port=N] [--idle-timeout-ms=N] [--token=T] [--read-max-bytes=N] [--hold-appends]
 * deno run --allow-net=127.0.0.1 grpc_listener_child.ts --unguarded
 * ```
 *
 * By default it runs `startGrpcListener`. With `--unguarded` it runs what one would write
 * without knowing Deno's bugs: `node:http2`'s `createServer` with the same Connect adapter, and
 * only an `error` listener on each session (so that only a native crash can end it).
 *
 * Prints `{"port": N, "control": N}` on stdout once listening, or `{"startError": {name, code,
 * message}}` and exits 1 when the listener does not start. Its pipeline writes nothing to disk:
 * it counts the events appended (one per Export request) and keeps each log record's body and
 * `service.name`. With `--hold-appends`, every append waits for `POST /release`.
 *
 * The control port is a plain HTTP/1.1 server (`Deno.serve`) that reports what only the
 * listener's process can see: `GET /state` gives {@linkcode ListenerChildState}; `POST /release`
 * lets held appends finish; `POST /close` starts closing the listener (`closed` turns true once
 * it is fully closed). On SIGTERM it closes the server, prints `{"appends": N, "stats": {...}}`
 * and exits 0.
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
import type { ListenerChildState } from "./spawn_grpc_listener_child.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    unguarded: { type: "boolean", default: false },
    "max-streams-per-session": { type: "string" },
    port: { type: "string", default: "0" },
    "idle-timeout-ms": { type: "string" },
    token: { type: "string" },
    "read-max-bytes": { type: "string", default: String(4 << 20) },
    "hold-appends": { type: "boolean", default: false },
  },
});
const number = (text: string | undefined) => text === undefined ? undefined : Number(text);

const state: ListenerChildState = {
  appends: 0,
  appendsStarted: 0,
  stats: {},
  errors: [],
  signals: [],
  bodies: [],
  services: [],
  closed: false,
};
const released = Promise.withResolvers<void>();
if (!values["hold-appends"]) released.resolve();

const pipeline = createExportPipeline({
  classify(batch) {
    state.signals.push(batch.signal);
    if (batch.signal === "logs") {
      for (const record of batch.records) {
        state.bodies.push(String(record.body));
        state.services.push(String(record.resource["service.name"]));
      }
    }
    return { events: [{ signal: batch.signal }], dropped: 0 };
  },
  log: {
    async append(events) {
      state.appendsStarted += events.length;
      await released.promise;
      state.appends += events.length;
    },
  },
});
const routes = otlpConnectRoutes(pipeline, { token: values.token });
const readMaxBytes = Number(values["read-max-bytes"]);

let port: number;
let close: () => Promise<unknown>;
let stats: () => Record<string, number> = () => ({});
if (values.unguarded) {
  const server = createServer(
    connectNodeAdapter({ routes, grpc: true, grpcWeb: false, connect: false, readMaxBytes }),
  );
  server.on("session", (session) => session.on("error", () => {}));
  await new Promise<void>((resolve) => server.listen(number(values.port), "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise((resolve) => server.close(resolve));
} else {
  try {
    const listener = await startGrpcListener({
      hostname: "127.0.0.1",
      port: Number(values.port),
      routes,
      readMaxBytes,
      maxStreamsPerSession: number(values["max-streams-per-session"]),
      idleTimeoutMs: number(values["idle-timeout-ms"]),
      onError(error) {
        console.error("listener error:", error);
        state.errors.push({ text: String(error), errno: (error as { errno?: number }).errno });
      },
    });
    port = listener.address.port;
    close = () => listener.close();
    stats = () => ({ ...listener.stats() });
  } catch (error) {
    const { name, code, message } = error as Error & { code?: string };
    console.log(JSON.stringify({ startError: { name, code, message } }));
    Deno.exit(1);
  }
}

const control = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/state") {
      return Response.json({ ...state, stats: stats() });
    }
    if (request.method === "POST" && path === "/release") {
      released.resolve();
      return new Response(null, { status: 204 });
    }
    if (request.method === "POST" && path === "/close") {
      close().then(() => state.closed = true);
      return new Response(null, { status: 202 });
    }
    return new Response("not found", { status: 404 });
  },
);

Deno.addSignalListener("SIGTERM", async () => {
  released.resolve();
  await close();
  console.log(JSON.stringify({ appends: state.appends, stats: stats() }));
  Deno.exit(0);
});
console.log(JSON.stringify({ port, control: control.addr.port }));
