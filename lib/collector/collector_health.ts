import type { ExportCounters } from "./export_pipeline.ts";
import type { AdmissionStats } from "./admission_control.ts";
import type { RuntimeLogHealth, RuntimeLogStats } from "../runtime_log/open_runtime_log.ts";

/** What `GET /healthz` answers: enough to tell which collector this is and where it writes. */
export interface CollectorHealth {
  service: "beacon-collector";
  /** "ok", or "degraded" when the runtime log cannot take writes (answered with 503). */
  status: "ok" | "degraded";
  version: string;
  pid: number;
  mode: "user" | "system";
  started_at: string;
  listen: { http: string; grpc: string | null };
  token_required: boolean;
  runtime_log: {
    path: string;
    bytes: number;
    archives: number;
    last_write_at: string | null;
    error: string | null;
  };
  counters: ExportCounters;
  /** Requests that never reached the pipeline. */
  requests: RequestCounters;
  /** The memory limiter: what it holds and what it refused. */
  admission?: AdmissionHealth;
}

/** The memory limiter's state in `/healthz`. */
export interface AdmissionHealth extends AdmissionStats {
  /**
   * Connections open on the OTLP/HTTP listener now; refused since start (past
   * `collector.max_connections`); and kept-alive connections closed between requests to make
   * room for a new one.
   */
  connections: number;
  connectionsRefused: number;
  connectionsEvicted: number;
}

/** Requests that never reached the pipeline, since the collector started. */
export interface RequestCounters {
  /** The client went away before sending its whole request (nothing was acknowledged). */
  aborted: number;
  /** Failed inside the collector (a bug; answered 500). */
  failed: number;
}

/** Builds the health document from the collector's parts. */
export function collectorHealth(input: {
  version: string;
  mode: "user" | "system";
  startedAt: Date;
  listen: { http: string; grpc: string | null };
  tokenRequired: boolean;
  logStats: RuntimeLogStats;
  logHealth: RuntimeLogHealth;
  counters: ExportCounters;
  requests: RequestCounters;
  admission?: AdmissionHealth;
}): CollectorHealth {
  const { logStats, logHealth } = input;
  return {
    service: "beacon-collector",
    status: logHealth.status === "ok" ? "ok" : "degraded",
    version: input.version,
    pid: Deno.pid,
    mode: input.mode,
    started_at: input.startedAt.toISOString(),
    listen: input.listen,
    token_required: input.tokenRequired,
    runtime_log: {
      path: logStats.path,
      bytes: logStats.bytes,
      archives: logStats.archives,
      last_write_at: logStats.lastWriteTime?.toISOString() ?? null,
      error: logHealth.status === "ok" ? null : logHealth.error.message,
    },
    counters: input.counters,
    requests: input.requests,
    ...(input.admission ? { admission: input.admission } : {}),
  };
}
