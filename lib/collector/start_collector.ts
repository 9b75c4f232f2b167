/**
 * The collector's listeners: one HTTP/1.1 server on the policy's loopback address serving
 * OTLP/HTTP (through the Connect adapter's fallback), the Connect and gRPC-Web protocols for
 * the OTLP Export services, and `GET /healthz`; and, when the policy turns it on, native
 * OTLP/gRPC (h2c) on its own address, guarded against Deno's HTTP/2 crash.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { getHeapStatistics } from "node:v8";
import type { AddressInfo } from "node:net";
import type { RuntimeLog } from "../runtime_log/open_runtime_log.ts";
import type { BeaconEventCiRun } from "../events/beacon_event.ts";
import {
  type ClassifyExport,
  createExportPipeline,
  type ExportPipeline,
} from "./export_pipeline.ts";
import { handleOtlpHttp, RETRY_AFTER_SECONDS, RPC_CODES, sendStatus } from "./handle_otlp_http.ts";
import { createAdmissionControl } from "./admission_control.ts";
import { createIncidentReporter } from "./incident_reporter.ts";
import { type CollectorHealth, collectorHealth, type RequestCounters } from "./collector_health.ts";
import { formatListenAddress, type ListenAddress } from "./parse_listen_address.ts";
import type { GrpcListener } from "./grpc/start_grpc_listener.ts";
import type { NodeHandler } from "./otlp_rpc_handler.ts";

/** What the collector needs; the CLI builds it from the policy. */
export interface CollectorOptions {
  http: ListenAddress;
  /** Native OTLP/gRPC (h2c) as well, when the policy turns it on. */
  grpc?: ListenAddress;
  token?: string;
  maxRequestBytes: number;
  /** The memory limiter's settings (policy defaults when absent). */
  limits?: {
    memoryLimitBytes?: number;
    maxBufferedBytes?: number;
    maxConnections?: number;
  };
  mode: "user" | "system";
  version: string;
  log: RuntimeLog;
  classify: ClassifyExport;
  /** The CI run to stamp on every event (a `beacon ci` run's collector); see the pipeline. */
  ci?: BeaconEventCiRun;
  /** One line for people (stderr): classification bugs, server errors. */
  onError?: (message: string) => void;
  now?: () => Date;
  /** More members of the `/healthz` document (the forwarder's `forwarding`). */
  extraHealth?: () => Record<string, unknown>;
}

/** A running collector. */
export interface RunningCollector {
  http: ListenAddress;
  grpc?: ListenAddress;
  pipeline: ExportPipeline;
  health(): CollectorHealth;
  /** Stops accepting, lets in-flight requests finish (their events durable), then resolves. */
  close(): Promise<void>;
}

/** The listen address is taken or not allowed: a message for people. */
export class ListenError extends Error {
  constructor(address: string, cause: unknown) {
    const code = (cause as { code?: string }).code;
    super(
      code === "EADDRINUSE"
        ? `Cannot listen on ${address}: the address is in use. Is another collector running? ` +
          "Check with `beacon endpoint status`, or set collector.listen in the policy."
        : `Cannot listen on ${address}: ${(cause as Error).message}`,
    );
    this.name = "ListenError";
  }
}

/** Starts the HTTP/1.1 listener. */
export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  // The collector's own output is bounded: one line per burst of the same incident.
  const report = createIncidentReporter((line) => options.onError?.(line));
  const requests: RequestCounters = { aborted: 0, failed: 0 };
  const pipeline = createExportPipeline({
    classify: options.classify,
    log: options.log,
    ci: options.ci,
    onClassifyError: (error) =>
      report("classify", `could not classify a request (a bug): ${describeError(error)}`),
  });
  let address = options.http;
  let grpcAddress: ListenAddress | undefined;
  const health = (): CollectorHealth => ({
    ...options.extraHealth?.(),
    ...collectorHealth({
      version: options.version,
      mode: options.mode,
      startedAt,
      listen: {
        http: formatListenAddress(address),
        grpc: grpcAddress ? formatListenAddress(grpcAddress) : null,
      },
      tokenRequired: Boolean(options.token),
      logStats: options.log.stats(),
      logHealth: options.log.health(),
      counters: pipeline.counters(),
      requests: { ...requests },
      admission: {
        ...admission.stats(),
        heapLimitBytes: getHeapStatistics().heap_size_limit,
        connections,
        connectionsRefused,
      },
    }),
  });

  const fallback = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const otlp = await handleOtlpHttp(request, response, {
        pipeline,
        token: options.token,
        maxBytes: options.maxRequestBytes,
        now,
      });
      if (otlp) return;
      const path = (request.url ?? "/").split("?")[0];
      if (path === "/healthz" && (request.method === "GET" || request.method === "HEAD")) {
        const document = health();
        const body = new TextEncoder().encode(JSON.stringify(document) + "\n");
        response.writeHead(document.status === "ok" ? 200 : 503, {
          "content-type": "application/json",
          "content-length": body.length,
          "cache-control": "no-store",
        });
        response.end(request.method === "HEAD" ? undefined : body);
        return;
      }
      sendStatus(
        response,
        404,
        "json",
        RPC_CODES.notFound,
        `No such endpoint: ${path} (OTLP/HTTP is POST /v1/logs, /v1/traces or /v1/metrics)`,
      );
    } catch (error) {
      requests.failed++;
      report("request", `a request failed (a bug): ${describeError(error)}`);
      if (!response.headersSent) {
        sendStatus(response, 500, "json", 13, "Internal error in the collector: see its log");
      } else response.destroy();
    }
  };

  // OTLP/HTTP and /healthz are served directly; anything else may be an RPC (Connect,
  // gRPC-Web), whose framework is loaded on the first one (the collector's idle memory).
  let rpcHandler: Promise<NodeHandler> | undefined;
  const loadRpcHandler = () =>
    rpcHandler ??= import("./otlp_rpc_handler.ts").then(({ createOtlpRpcHandler }) =>
      createOtlpRpcHandler({
        pipeline,
        token: options.token,
        now,
        maxRequestBytes: options.maxRequestBytes,
        fallback: (request, response) => void fallback(request, response),
      })
    );
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path.startsWith("/v1/") || path === "/healthz") {
      void fallback(request, response);
      return;
    }
    loadRpcHandler().then((rpc) => rpc(request, response), (error) => {
      report("rpc", `cannot load the RPC handler (a bug): ${describeError(error)}`);
      if (!response.headersSent) {
        sendStatus(response, 500, "json", 13, "Internal error in the collector: see its log");
      } else response.destroy();
    });
  };
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const admission = createAdmissionControl({
    maxRequestBytes: options.maxRequestBytes,
    maxBufferedBytes: options.limits?.maxBufferedBytes ?? 32 * 1024 * 1024,
    memoryLimitBytes: options.limits?.memoryLimitBytes ?? 256 * 1024 * 1024,
  });
  const server = createServer((request, response) => {
    inFlight++;
    // Before any body is read: a request that would take the collector past its memory limit,
    // or past the body bytes it may hold at once, is refused with a retryable 503.
    let reserved = 0;
    if (request.method === "POST") {
      const declared = Number(request.headers["content-length"]);
      const admitted = admission.admit(Number.isFinite(declared) ? declared : undefined);
      if (!admitted.ok) {
        response.once("close", () => {
          if (--inFlight === 0) drained?.();
        });
        response.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
        const encoding = /json/i.test(request.headers["content-type"] ?? "") ? "json" : "protobuf";
        sendStatus(response, 503, encoding, RPC_CODES.unavailable, admitted.message, true);
        return;
      }
      reserved = admitted.bytes;
    }
    let aborted = false;
    // Node's IncomingMessage says "aborted" when the connection closes before the whole request
    // arrived (whoever was reading the body then sees an error).
    request.once("aborted", () => (aborted = true));
    request.once("error", () => (aborted = true));
    response.once("close", () => {
      admission.release(reserved);
      if (aborted || (!response.writableFinished && !request.complete)) {
        // The client went away before it sent its whole request: nothing was acknowledged.
        requests.aborted++;
        report(
          "aborted",
          `a client went away in the middle of a request (${requests.aborted} so far; ` +
            "normal when a program exits while exporting)",
        );
      }
      if (--inFlight === 0) drained?.();
    });
    handler(request, response);
  });
  // A cap on open connections: each costs a socket and buffers, whatever it sends.
  const maxConnections = options.limits?.maxConnections ?? 256;
  let connections = 0;
  let connectionsRefused = 0;
  server.on("connection", (socket) => {
    if (connections >= maxConnections) {
      connectionsRefused++;
      report(
        "connections",
        `refused a connection: ${maxConnections} are open (collector.max_connections)`,
      );
      socket.destroy();
      return;
    }
    connections++;
    socket.once("close", () => connections--);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once(
      "error",
      (error) => reject(new ListenError(formatListenAddress(options.http), error)),
    );
    server.listen(options.http.port, options.http.hostname, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  address = { hostname: options.http.hostname, port: bound.port };

  let grpc: GrpcListener | undefined;
  if (options.grpc) {
    try {
      const [{ startGrpcListener }, { otlpConnectRoutes }] = await Promise.all([
        import("./grpc/start_grpc_listener.ts"),
        import("./otlp_connect_routes.ts"),
      ]);
      grpc = await startGrpcListener({
        ...options.grpc,
        routes: otlpConnectRoutes(pipeline, {
          token: options.token,
          now,
          maxBytes: options.maxRequestBytes,
        }),
        readMaxBytes: options.maxRequestBytes,
        onError: (error) => report("grpc", `gRPC connection error: ${describeError(error)}`),
      });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw new ListenError(formatListenAddress(options.grpc), error);
    }
    grpcAddress = grpc.address;
  }

  let closing: Promise<void> | undefined;
  return {
    http: address,
    grpc: grpcAddress,
    pipeline,
    health,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections?.();
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        server.closeAllConnections?.();
        await Promise.all([stopped, grpc?.close()]);
      })();
      return closing;
    },
  };
}

/** One line: the message, and the stack only when BEACON_DEBUG is set. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return Deno.env.get("BEACON_DEBUG") && error.stack ? error.stack : error.message;
}
