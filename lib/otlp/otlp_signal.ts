/**
 * The three OTLP signals Beacon receives, their wire encodings and limits (the generated
 * schemas are in otlp_schemas.ts, loaded only where a request is decoded with them).
 *
 * @module
 */

// Types only: this module must not load the generated code (the collector's start does not
// need it; see otlp_schemas.ts).
import type {
  ExportLogsServiceRequest,
  ExportLogsServiceResponse,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type {
  ExportMetricsServiceRequest,
  ExportMetricsServiceResponse,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";

/** An OTLP signal, named as in the OTLP/HTTP paths `/v1/logs`, `/v1/traces`, `/v1/metrics`. */
export type OtlpSignal = "logs" | "traces" | "metrics";

/** The OTLP signals, in path order. */
export const OTLP_SIGNALS: readonly OtlpSignal[] = ["logs", "traces", "metrics"];

/**
 * An OTLP body encoding: `protobuf` (`application/x-protobuf`, and the gRPC message) or
 * `json` (`application/json`, OTLP/JSON).
 */
export type OtlpEncoding = "protobuf" | "json";

/** The `Content-Type` Beacon writes for each encoding (and answers in: OTLP replies in kind). */
export const OTLP_CONTENT_TYPES: { readonly [E in OtlpEncoding]: string } = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/** The Export request message of each signal. */
export interface OtlpRequestBySignal {
  logs: ExportLogsServiceRequest;
  traces: ExportTraceServiceRequest;
  metrics: ExportMetricsServiceRequest;
}

/** The Export response message of each signal. */
export interface OtlpResponseBySignal {
  logs: ExportLogsServiceResponse;
  traces: ExportTraceServiceResponse;
  metrics: ExportMetricsServiceResponse;
}

/** The Export request of `S`: `ExportLogsServiceRequest` for `"logs"`, and so on. */
export type OtlpRequest<S extends OtlpSignal = OtlpSignal> = OtlpRequestBySignal[S];

/**
 * The deepest message nesting Beacon decodes (@bufbuild/protobuf's default, made explicit).
 * A log record's attributes start at depth 6 and every kvlist level adds 3, so about 30 levels
 * of nested AnyValue fit; anything deeper is refused instead of exhausting the stack.
 */
export const OTLP_RECURSION_LIMIT = 100;
