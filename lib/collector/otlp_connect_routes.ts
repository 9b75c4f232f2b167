import { create, type DescMessage, type DescMethod, type JsonValue } from "@bufbuild/protobuf";
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
import {
  type RawExportRequest,
  RawExportRequestSchema,
} from "../otlp/gen/beacon/otlp/v1/raw_export_pb.ts";
import type { OtlpRequest, OtlpSignal } from "../otlp/otlp_signal.ts";
import { decodeOtlpRequest, type OtlpDecodeFailure } from "../otlp/decode_otlp_request.ts";
import { decodeOtlpLogsFast } from "../otlp/decode_otlp_logs_fast.ts";
import { joinRawExportRequest } from "../otlp/join_raw_export_request.ts";
import type { ExportOutcome, ExportPipeline } from "./export_pipeline.ts";
import { isAuthorized } from "./is_authorized.ts";
import { type ExportBatch, exportBatchOf } from "./export_batch.ts";

/** Options of {@link otlpConnectRoutes}. */
export interface OtlpConnectRoutesOptions {
  token?: string;
  now?: () => Date;
  /**
   * The largest request message, in bytes (the RPC framework refuses larger ones first); the
   * item budget follows from it as on OTLP/HTTP. Default 16 MiB.
   */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

const SERVICES = {
  logs: { service: LogsService, response: ExportLogsServiceResponseSchema },
  traces: { service: TraceService, response: ExportTraceServiceResponseSchema },
  metrics: { service: MetricsService, response: ExportMetricsServiceResponseSchema },
} as const;

/**
 * The OTLP Export services as Connect routes for binary messages: Connect and gRPC-Web on the
 * HTTP/1.1 listener, gRPC on the HTTP/2 one. The framework reads each request only as far as
 * {@link RawExportRequestSchema} (the resource groups as bytes); the body is then decoded by the
 * same decoder as OTLP/HTTP protobuf, so every transport gives the same events for the same
 * bytes and refuses the same bodies with the same reason: invalid UTF-8 repaired, nesting and
 * malformed messages `invalid_argument`, the item budget `resource_exhausted`. Each call goes
 * through the same pipeline as OTLP/HTTP, and answers only once its events are durable.
 *
 * JSON messages (Connect's `application/json`) take {@link otlpConnectJsonRoutes}.
 */
export function otlpConnectRoutes(
  pipeline: ExportPipeline,
  options: OtlpConnectRoutesOptions,
): (router: ConnectRouter) => void {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const decode = async (signal: OtlpSignal, raw: RawExportRequest) => {
    const bytes = joinRawExportRequest(raw.resourceGroups);
    const decodeOptions = {
      contentType: "application/x-protobuf",
      contentEncoding: null,
      maxBytes,
    };
    const decoded = signal === "logs"
      ? await decodeOtlpLogsFast(bytes, decodeOptions)
      : await decodeOtlpRequest(signal, bytes, decodeOptions);
    if (!decoded.ok) throw decodeError(decoded);
    const batch: ExportBatch = "records" in decoded
      ? { signal: "logs", records: decoded.records }
      : exportBatchOf(signal, decoded.request);
    return { batch, replacedInvalidStrings: decoded.replacedInvalidStrings };
  };
  return routesOf(
    pipeline,
    options,
    RawExportRequestSchema,
    (signal, request) => decode(signal, request as RawExportRequest),
  );
}

/**
 * The OTLP Export services as Connect routes for JSON messages (Connect's `application/json`,
 * gRPC-Web and gRPC `+json`): decoded by the framework from proto3 JSON after the same checks
 * as OTLP/JSON (UTF-8, nesting, item budget: see {@link otlpJsonTextDecoder}).
 */
export function otlpConnectJsonRoutes(
  pipeline: ExportPipeline,
  options: OtlpConnectRoutesOptions,
): (router: ConnectRouter) => void {
  return routesOf(pipeline, options, undefined, (signal, request) =>
    Promise.resolve({
      batch: exportBatchOf(signal, request as OtlpRequest),
      replacedInvalidStrings: 0,
    }));
}

type Decode = (
  signal: OtlpSignal,
  request: unknown,
) => Promise<{ batch: ExportBatch; replacedInvalidStrings: number }>;

function routesOf(
  pipeline: ExportPipeline,
  options: OtlpConnectRoutesOptions,
  input: DescMessage | undefined,
  decode: Decode,
): (router: ConnectRouter) => void {
  const now = options.now ?? (() => new Date());
  const run = async (signal: OtlpSignal, request: unknown, context: HandlerContext) => {
    if (!isAuthorized(options.token, context.requestHeader.get("authorization"))) {
      throw new ConnectError(
        "Missing or wrong token: send `authorization: Bearer <token>` as set in the policy",
        Code.Unauthenticated,
      );
    }
    const { batch, replacedInvalidStrings } = await decode(signal, request);
    const outcome = await pipeline.export(batch, now());
    if (outcome.status === "unavailable") throw new ConnectError(outcome.message, Code.Unavailable);
    return partialSuccess(outcome, replacedInvalidStrings);
  };
  return (router) => {
    for (const signal of ["logs", "traces", "metrics"] as const) {
      const { service, response } = SERVICES[signal];
      const method = service.method.export as DescMethod;
      // Same path and response; the binary routes read the request as raw resource groups.
      const desc = input ? { ...method, input } as DescMethod : method;
      const rpc = router.rpc.bind(router) as (
        method: DescMethod,
        impl: (request: unknown, context: HandlerContext) => Promise<unknown>,
      ) => ConnectRouter;
      rpc(desc, async (request, context) => {
        const partial = await run(signal, request, context);
        return create(response, partial && { partialSuccess: partialFields(signal, partial) });
      });
    }
  };
}

/** A partial success to report: rejected items, or a warning about repaired strings. */
function partialSuccess(
  outcome: Extract<ExportOutcome, { status: "ok" }>,
  replacedInvalidStrings: number,
): { rejected: bigint; errorMessage: string } | undefined {
  if (outcome.rejected) {
    return { rejected: BigInt(outcome.rejected), errorMessage: outcome.message ?? "" };
  }
  if (replacedInvalidStrings) {
    return {
      rejected: 0n,
      errorMessage: `${replacedInvalidStrings} string(s) held invalid UTF-8 and were stored ` +
        "with U+FFFD",
    };
  }
  return undefined;
}

function partialFields(
  signal: OtlpSignal,
  partial: { rejected: bigint; errorMessage: string },
): Record<string, JsonValue | bigint> {
  const key = signal === "logs"
    ? "rejectedLogRecords"
    : signal === "traces"
    ? "rejectedSpans"
    : "rejectedDataPoints";
  return { [key]: partial.rejected, errorMessage: partial.errorMessage };
}

/** The Connect error of a body the decoder refused: the client's fault, never `internal`. */
function decodeError(failure: OtlpDecodeFailure): ConnectError {
  return new ConnectError(
    failure.message,
    failure.status === 413 ? Code.ResourceExhausted : Code.InvalidArgument,
  );
}
