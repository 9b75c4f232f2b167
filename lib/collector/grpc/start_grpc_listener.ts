/**
 * The native OTLP/gRPC listener: cleartext HTTP/2 (h2c, no TLS), by default on
 * `127.0.0.1:4317`, serving the OTLP Export services through Connect's Node adapter with only the
 * gRPC protocol enabled.
 *
 * ## Why every HTTP/2 session is recycled after a few dozen streams
 *
 * Deno 2.9.6's `node:http2` server aborts the whole process (exit 134, SIGABRT) when a client
 * goes away from a connection that carried many streams (upstream issue denoland/deno#36788):
 *
 * ```text
 * deno: nghttp2/lib/nghttp2_session.c:2402: int find_stream_on_goaway_func(void *, void *):
 *   Assertion `stream->closed_next == NULL' failed.
 * ```
 *
 * A collector that dies takes every later export with it, and Codex never retries, so the
 * listener must not depend on clients behaving. {@linkcode recycleHttp2Sessions} caps each
 * session at `maxStreamsPerSession` streams (50 by default): the stream that reaches the cap is
 * served and the server sends GOAWAY, the calls in flight finish, and the session closes; gRPC
 * clients reconnect on their own. Streams a client opened before it saw the GOAWAY are refused
 * with REFUSED_STREAM, which gRPC clients retry transparently on the new connection, so no
 * session ever carries more than the cap. The HTTP/2 setting `maxConcurrentStreams` (16) keeps
 * the number of such streams small.
 *
 * What was measured (see `tests/collector_grpc/`): without the guard, a client that closes its
 * connection with around 80 or more streams in flight, or after a few hundred calls with 30 to 50
 * at a time, aborts the process in most trials; with the guard, thousands of calls over many
 * connections, including connections closed abruptly mid-call, leave it running.
 *
 * @module
 */

import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { deferShutdownAfterGoaway } from "./defer_shutdown_after_goaway.ts";
import { recycleHttp2Sessions, type SessionRecyclerStats } from "./recycle_http2_sessions.ts";

/** The streams one HTTP/2 session may carry before the listener recycles it. */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 50;

/** The HTTP/2 `SETTINGS_MAX_CONCURRENT_STREAMS` the listener announces (at most the cap above). */
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
   * Told about unexpected errors of connections and streams (a client merely closing or
   * resetting its connection is not reported). Without it such errors are dropped.
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
  const maxConcurrentStreams = Math.min(
    options.maxConcurrentStreams ?? DEFAULT_MAX_CONCURRENT_STREAMS,
    maxStreamsPerSession,
  );
  if (!(maxConcurrentStreams >= 1)) {
    throw new RangeError(`maxConcurrentStreams must be at least 1, got ${maxConcurrentStreams}`);
  }
  // Deno reads an absent setting as 0 when the key is present but undefined: leave it out.
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
  const handler = connectNodeAdapter({
    routes: options.routes,
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes: options.readMaxBytes,
  });
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
