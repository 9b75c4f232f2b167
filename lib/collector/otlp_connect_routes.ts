import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  ExportLogsServiceResponseSchema,
  LogsService,
} from "../otlp/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import {
  ExportTraceServiceResponseSchema,
  TraceService,
} from "../otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import {
  ExportMetricsServiceResponseSchema,
  MetricsService,
} from "../otlp/gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { OtlpRequest, OtlpSignal } from "../otlp/otlp_signal.ts";
import type { ExportOutcome, ExportPipeline } from "./export_pipeline.ts";
import { isAuthorized } from "./is_authorized.ts";
import { exportBatchOf } from "./export_batch.ts";

/**
 * The OTLP Export services as Connect routes: served over Connect and gRPC-Web on the HTTP/1.1
 * listener and over gRPC on the HTTP/2 one. Each call goes through the same pipeline as
 * OTLP/HTTP, and answers only once its events are durable.
 */
export function otlpConnectRoutes(
  pipeline: ExportPipeline,
  options: { token?: string; now?: () => Date },
): (router: ConnectRouter) => void {
  const now = options.now ?? (() => new Date());
  const run = async (signal: OtlpSignal, request: OtlpRequest, context: HandlerContext) => {
    if (!isAuthorized(options.token, context.requestHeader.get("authorization"))) {
      throw new ConnectError(
        "missing or wrong token: send `authorization: Bearer <token>` as set in the policy",
        Code.Unauthenticated,
      );
    }
    const outcome = await pipeline.export(exportBatchOf(signal, request), now());
    if (outcome.status === "unavailable") throw new ConnectError(outcome.message, Code.Unavailable);
    return outcome;
  };
  const partial = (outcome: Extract<ExportOutcome, { status: "ok" }>) =>
    outcome.rejected
      ? { errorMessage: outcome.message ?? "", rejected: BigInt(outcome.rejected) }
      : undefined;
  return (router) => {
    router.service(LogsService, {
      async export(request, context) {
        const p = partial(await run("logs", request, context));
        return create(ExportLogsServiceResponseSchema, {
          partialSuccess: p && { rejectedLogRecords: p.rejected, errorMessage: p.errorMessage },
        });
      },
    });
    router.service(TraceService, {
      async export(request, context) {
        const p = partial(await run("traces", request, context));
        return create(ExportTraceServiceResponseSchema, {
          partialSuccess: p && { rejectedSpans: p.rejected, errorMessage: p.errorMessage },
        });
      },
    });
    router.service(MetricsService, {
      async export(request, context) {
        const p = partial(await run("metrics", request, context));
        return create(ExportMetricsServiceResponseSchema, {
          partialSuccess: p && { rejectedDataPoints: p.rejected, errorMessage: p.errorMessage },
        });
      },
    });
  };
}
