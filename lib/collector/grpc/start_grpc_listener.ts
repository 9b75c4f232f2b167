/**
 * The native OTLP/gRPC listener: cleartext HTTP/2 (h2c, no TLS), by default on
 * `127.0.0.1:4317`, serving the OTLP Export services through Connect's Node adapter with only the
 * gRPC protocol enabled.
 *
 * ## Why the listener guards against its own HTTP/2 server
 *
 * Deno 2.9.6's `node:http2` server kills the whole process when clients go away in ways that
 * are routine for gRPC (upstream issue denoland/deno#36788). Measured here on plain
 * `createServer` with the same Connect adapter (`tests/collector_grpc/`):
 *
 * - `@grpc/grpc-js` clients that make 100 calls each, 30 at a time, and then close their
 *   connection: 29 of 30 server processes died within 600 calls, mostly with SIGABRT (exit 134)
 *   on `nghttp2_session.c:2402: find_stream_on_goaway_func: Assertion 'stream->closed_next ==
 *   NULL' failed`, sometimes on glibc's `free(): invalid pointer` or with SIGSEGV (exit 139).
 *   With 10 at a time, 7 of 10 died. With a raw HTTP/2 client closing its connection with N
 *   streams in flight, 4 processes each: none died at 60, two at 80, three at 100, four at 120.
 * - A client whose GOAWAY is followed, in the same write, by a new stream (Deno's own HTTP/2
 *   client does that when it destroys a session right after starting a request): SIGSEGV on the
 *   first to third such connection, whatever the number of streams.
 *
 * A collector that dies loses every later export, and Codex never retries, so the listener does
 * not rely on clients behaving. It has two guards:
 *
 * 1. {@linkcode deferShutdownAfterGoaway}. What the experiments point to is that Deno closes the
 *    session from inside nghttp2's read of the client's GOAWAY; this guard makes that close from
 *    a fresh task instead. Alone (`maxStreamsPerSession: Infinity`), it kept the server alive in
 *    every trial of both cases above.
 * 2. {@linkcode recycleHttp2Sessions}, the workaround known before (closing sessions from the
 *    server after 50 streams): each session carries at most `maxStreamsPerSession` streams (50).
 *    The server announces `maxConcurrentStreams` (16) and sends GOAWAY 15 streams before the
 *    cap, so a client cannot pass the cap before it reads the GOAWAY; the calls in flight
 *    finish, the session closes, and gRPC clients reconnect on their own. Streams that cross the
 *    GOAWAY are refused (REFUSED_STREAM) by Deno itself before any handler sees them, and gRPC
 *    clients retry them transparently. Alone, it kept the server alive under the gRPC load in
 *    5 of 5 trials, but not against the GOAWAY-then-stream client (dead in 5 of 5): it stays as
 *    a second line for crashes tied to many streams on one session.
 *
 * With both, 3,000 calls over 30 connections (30 at a time, with clients cancelling calls and
 * destroying connections mid-call in every round) all succeed and the process stays up; see
 * `tests/collector_grpc/grpc_survives_many_calls_test.ts`. A limit remains: grpc-js retries a
 * refused stream only once, so a client that keeps far more calls waiting on one connection
 * than a session can carry (for example 90 on one connection) may see some calls fail with
 * UNAVAILABLE "Stream refused by server" as sessions are recycled under it.
 *
 * @module
 */

import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError, createConnectRouter } from "@connectrpc/connect";
import {
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import { rpcCompressions } from "../rpc_compressions.ts";
import { deferShutdownAfterGoaway } from "./defer_shutdown_after_goaway.ts";
import {
  type Http2RequestListener,
  recycleHttp2Sessions,
  type SessionRecyclerStats,
} from "./recycle_http2_sessions.ts";

/** The streams one HTTP/2 session may carry before the listener recycles it. */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 50;

/**
 * The HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS` the listener announces (at most the cap above); the
 * GOAWAY goes out this many streams, less one, before the cap.
 */
export const DEFAULT_MAX_CONCURRENT_STREAMS = 16;

/** How long a connection may stay without any stream activity before it is closed. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** How {@linkcode startGrpcListener} listens and what it serves. */
export interface GrpcListenerOptions {
  /** Address to bind, e.g. `127.0.0.1`. */
  hostname: string;
  /** Port to bind, e.g. 4317; 0 picks a free one (see {@linkcode GrpcListener.address}). */
  port: number;
  /** The Connect routes to serve over gRPC, e.g. `otlpConnectRoutes(pipeline, { token })`. */
  routes: (router: ConnectRouter) => void;
  /** Largest request message accepted, in bytes; a larger one fails with RESOURCE_EXHAUSTED. */
  readMaxBytes: number;
  /**
   * Streams an HTTP/2 session may carry before it is recycled (GOAWAY, then closed once its
   * calls finish). Default {@linkcode DEFAULT_MAX_STREAMS_PER_SESSION}. `Infinity` turns this
   * guard off (the other one, {@linkcode deferShutdownAfterGoaway}, always applies).
   */
  maxStreamsPerSession?: number;
  /** Streams a client may have open at once on one connection. Default 16. */
  maxConcurrentStreams?: number;
  /** Close a connection after this long without stream activity. Default 2 minutes. */
  idleTimeoutMs?: number;
  /**
   * Told about unexpected errors of connections and streams, once per error. A client merely
   * closing or resetting its connection is not reported, nor grpc-go's normal close, which
   * nghttp2 takes for a protocol error (see `recycle_http2_sessions.ts`). Without it such errors
   * are dropped.
   */
  onError?: (error: unknown) => void;
}

/** Counters of a running {@linkcode GrpcListener}. */
export type GrpcListenerStats = SessionRecyclerStats;

/** A running gRPC listener. */
export interface GrpcListener {
  /** Where it listens: the bound address and port (useful with `port: 0`). */
  address: { hostname: string; port: number };
  /**
   * Stops accepting connections, lets calls in flight finish, closes every session, and
   * resolves once the listener is fully closed. Safe to call more than once.
   */
  close(): Promise<void>;
  /** Open sessions and streams now, and how many sessions the crash guard recycled. */
  stats(): GrpcListenerStats;
}

/** How long {@linkcode GrpcListener.close} waits for calls in flight before cutting them off. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Starts the OTLP/gRPC listener (h2c) and resolves once it is listening; rejects when the
 * address cannot be bound (for example `EADDRINUSE`).
 *
 * @example
 * ```ts
 * import { startGrpcListener } from "./start_grpc_listener.ts";
 * import { otlpConnectRoutes } from "../otlp_connect_routes.ts";
 * import type { ExportPipeline } from "../export_pipeline.ts";
 *
 * declare const pipeline: ExportPipeline;
 * const listener = await startGrpcListener({
 *   hostname: "127.0.0.1",
 *   port: 4317,
 *   routes: otlpConnectRoutes(pipeline, {}),
 *   readMaxBytes: 4 << 20,
 * });
 * console.log(`OTLP/gRPC on ${listener.address.hostname}:${listener.address.port}`);
 * await listener.close();
 * ```
 */
export async function startGrpcListener(options: GrpcListenerOptions): Promise<GrpcListener> {
  const maxStreamsPerSession = options.maxStreamsPerSession ?? DEFAULT_MAX_STREAMS_PER_SESSION;
  if (!(maxStreamsPerSession >= 1)) {
    throw new RangeError(`maxStreamsPerSession must be at least 1, got ${maxStreamsPerSession}`);
  }
  const maxConcurrentStreams = Math.min(
    options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS,
    maxStreamsPerSession,
  );
  if (!(maxConcurrentStreams >= 1)) {
    throw new RangeError(`maxConcurrentStreams must be at least 1, got ${maxConcurrentStreams}`);
  }
  // Loaded here, not at the top: a static node: import is hoisted into the bundle, and would
  // start Deno's Node compatibility layer in every collector, gRPC or not.
  const { createServer } = await import("node:http2");
  // Deno takes `maxConcurrentStreams: undefined` as 0 (no stream at all): leave the key out.
  const server = createServer({
    settings: Number.isFinite(maxConcurrentStreams) ? { maxConcurrentStreams } : {},
  });
  deferShutdownAfterGoaway(server);
  const recycler = recycleHttp2Sessions(server, {
    maxStreamsPerSession,
    maxConcurrentStreams,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    closeTimeoutMs: 30_000,
    onError: options.onError,
  });
  // connectNodeAdapter, minus its default compressions: those import node:zlib statically,
  // which the bundle would hoist into every collector. gzip goes through DecompressionStream.
  const router = createConnectRouter({
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: options.readMaxBytes,
    acceptCompression: rpcCompressions,
  });
  options.routes(router);
  const handlers = new Map(router.handlers.map((handler) => [handler.requestPath, handler]));
  const handler: Http2RequestListener = (request, response) => {
    const uHandler = handlers.get(request.url?.split("?", 2)[0] ?? "");
    if (!uHandler) {
      response.writeHead(404);
      response.end();
      return;
    }
    uHandler(universalRequestFromNodeRequest(request, response, undefined, undefined))
      .then((uResponse) => universalResponseToNodeResponse(uResponse, response))
      .catch((reason) => {
        if (ConnectError.from(reason).code === Code.Aborted) return;
        options.onError?.(reason);
      });
  };
  server.on("request", recycler.guard(handler));

  await new Promise<void>((resolve, reject) => {
    const onListenError = (error: unknown) => reject(error);
    server.once("error", onListenError);
    server.listen(options.port, options.hostname, () => {
      server.off("error", onListenError);
      resolve();
    });
  });
  // Errors after listening (for example EMFILE on accept) must not crash the collector.
  server.on("error", (error) => options.onError?.(error));

  const bound = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    address: { hostname: bound.address, port: bound.port },
    close() {
      closing ??= Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        recycler.closeAll(CLOSE_GRACE_MS),
      ]).then(() => undefined);
      return closing;
    },
    stats: () => recycler.stats(),
  };
}
