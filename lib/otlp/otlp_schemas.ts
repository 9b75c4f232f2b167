/**
 * The generated protobuf schemas of each OTLP signal's Export request and response.
 *
 * @module
 */

import type { DescMessage } from "@bufbuild/protobuf";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import {
  ExportMetricsServiceRequestSchema,
  ExportMetricsServiceResponseSchema,
} from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { OtlpSignal } from "./otlp_signal.ts";

/** The generated schema of each signal's Export request. */
export const OTLP_REQUEST_SCHEMAS: {
  readonly [S in OtlpSignal]: DescMessage;
} = {
  logs: ExportLogsServiceRequestSchema,
  traces: ExportTraceServiceRequestSchema,
  metrics: ExportMetricsServiceRequestSchema,
};

/** The generated schema of each signal's Export response. */
export const OTLP_RESPONSE_SCHEMAS: {
  readonly [S in OtlpSignal]: DescMessage;
} = {
  logs: ExportLogsServiceResponseSchema,
  traces: ExportTraceServiceResponseSchema,
  metrics: ExportMetricsServiceResponseSchema,
};
