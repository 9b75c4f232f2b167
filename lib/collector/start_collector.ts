/**
 * The collector's listeners: one HTTP/1.1 server (Beacon's own, `lib/http1`) on the policy's
 * loopback address serving OTLP/HTTP, the Connect and gRPC-Web protocols for the OTLP Export
 * services, and `GET /healthz`, behind the memory limiter and the connection cap; and, when the
 * policy turns it on, native OTLP/gRPC (h2c) on its own address, guarded against Deno's HTTP/2
 * crash.
 *
 * @module
 */
import { type Http1Request, type Http1Response, serveHttp1 } from "../http1/serve_http1.ts";
import type { RuntimeLog } from "../runtime_log/open_runtime_log.ts";
import type { BeaconEventCiRun } from "../events/beacon_event.ts";
import {
  type ClassifyExport,
  createExportPipeline,
  type ExportPipeline,
} from "./export_pipeline.ts";
import {
  handleOtlpHttp,
  RETRY_AFTER_SECONDS,
  RPC_CODES,
  statusEncodingOf,
  statusResponse,
} from "./handle_otlp_http.ts";
import { createAdmissionControl } from "./admission_control.ts";
import { createIncidentReporter } from "./incident_reporter.ts";
import { type CollectorHealth, collectorHealth, type RequestCounters } from "./collector_health.ts";
import { formatListenAddress, type ListenAddress } from "./parse_listen_address.ts";
import type { GrpcListener } from "./grpc/start_grpc_listener.ts";
import type { RpcHandler } from "./otlp_rpc_handler.ts";
import { OTLP_RPC_PATHS } from "./otlp_rpc_paths.ts";

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
      code === "EADDRINUSE" || cause instanceof Deno.errors.AddrInUse
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
        connections: server.connections(),
        connectionsEvicted,
        connectionsRefused,
      },
    }),
  });

  // OTLP/HTTP and /healthz are served directly; the three Export RPCs (Connect, gRPC-Web) go
  // through the RPC framework, loaded on the first one (the collector's idle memory).
  let rpcHandler: Promise<RpcHandler> | undefined;
  const loadRpcHandler = () =>
    rpcHandler ??= import("./otlp_rpc_handler.ts").then(({ createOtlpRpcHandler }) =>
      createOtlpRpcHandler({
        pipeline,
        token: options.token,
        now,
        maxRequestBytes: options.maxRequestBytes,
      })
    );
  const route = async (request: Http1Request): Promise<Http1Response | undefined> => {
    const otlp = await handleOtlpHttp(request, {
      pipeline,
      token: options.token,
      maxBytes: options.maxRequestBytes,
      now,
    });
    if (otlp !== false) return otlp;
    if (request.path === "/healthz" && (request.method === "GET" || request.method === "HEAD")) {
      const document = health();
      return {
        status: document.status === "ok" ? 200 : 503,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
        body: utf8.encode(JSON.stringify(document) + "\n"),
      };
    }
    // Only these load the RPC framework: any other path (a port scanner's) is a 404 that costs
    // no memory.
    if (OTLP_RPC_PATHS.has(request.path)) {
      const rpc = await (await loadRpcHandler())(request);
      if (rpc !== false) return rpc;
    }
    return statusResponse(
      404,
      "json",
      RPC_CODES.notFound,
      `No such endpoint: ${request.path} (OTLP/HTTP is POST /v1/logs, /v1/traces or /v1/metrics)`,
    );
  };
  const admission = createAdmissionControl({
    maxRequestBytes: options.maxRequestBytes,
    maxBufferedBytes: options.limits?.maxBufferedBytes ?? 32 * 1024 * 1024,
    memoryLimitBytes: options.limits?.memoryLimitBytes ?? 256 * 1024 * 1024,
  });
  const handler = async (request: Http1Request): Promise<Http1Response | undefined> => {
    // Before any body is read: a request that would take the collector past its memory limit,
    // or past the body bytes it may hold at once, is refused with a retryable 503.
    let reserved = 0;
    if (request.method === "POST") {
      const admitted = admission.admit(request.contentLength);
      if (!admitted.ok) {
        return statusResponse(
          503,
          statusEncodingOf(request),
          RPC_CODES.unavailable,
          admitted.message,
          {
            "retry-after": String(RETRY_AFTER_SECONDS),
          },
        );
      }
      reserved = admitted.bytes;
    }
    try {
      return await route(request);
    } catch (error) {
      requests.failed++;
      report("request", `a request failed (a bug): ${describeError(error)}`);
      return statusResponse(500, "json", 13, "Internal error in the collector: see its log");
    } finally {
      admission.release(reserved);
    }
  };
  // A cap on open connections: each costs a socket and buffers, whatever it sends.
  const maxConnections = options.limits?.maxConnections ?? 256;
  let connectionsRefused = 0;
  let connectionsEvicted = 0;
  let server: ReturnType<typeof serveHttp1>;
  try {
    server = serveHttp1({
      hostname: options.http.hostname,
      port: options.http.port,
      maxConnections,
      onConnectionRefused: () => {
        connectionsRefused++;
        report(
          "connections",
          `refused a connection: ${maxConnections} are open (collector.max_connections)`,
        );
      },
      onIdleConnectionClosed: () => connectionsEvicted++,
      onAborted: () => {
        // The client went away before it sent its whole request: nothing was acknowledged.
        requests.aborted++;
        report(
          "aborted",
          `a client went away in the middle of a request (${requests.aborted} so far; ` +
            "normal when a program exits while exporting)",
        );
      },
      onHandlerError: (error) => {
        requests.failed++;
        report("request", `a request failed (a bug): ${describeError(error)}`);
      },
    }, handler);
  } catch (error) {
    throw new ListenError(formatListenAddress(options.http), error);
  }
  address = { hostname: options.http.hostname, port: server.port };

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
      await server.close();
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
        // The server's close waits for every request in progress (each connection ends only
        // once its handler has answered), so their events are durable when it resolves.
        await Promise.all([server.close(), grpc?.close()]);
      })();
      return closing;
    },
  };
}

const utf8 = new TextEncoder();

/** One line: the message, and the stack only when BEACON_DEBUG is set. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return Deno.env.get("BEACON_DEBUG") && error.stack ? error.stack : error.message;
}
