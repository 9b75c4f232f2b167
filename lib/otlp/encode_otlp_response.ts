/**
 * Encodes the bodies an OTLP/HTTP server answers with: the Export response on success, and a
 * `google.rpc.Status` on error, each in the request's encoding.
 *
 * @module
 */

import { create, type DescMessage, toBinary, toJsonString } from "@bufbuild/protobuf";
import { StatusSchema } from "./gen/google/rpc/status_pb.ts";
import { ExportLogsServiceResponseSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { ExportMetricsServiceResponseSchema } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import { ExportTraceServiceResponseSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { OTLP_CONTENT_TYPES, type OtlpEncoding, type OtlpSignal } from "./otlp_signal.ts";

/** A response body with the `Content-Type` to send it with. */
export interface OtlpResponseBody {
  body: Uint8Array;
  contentType: string;
}

/** Items of a request the server did not accept, and why (OTLP partial success). */
export interface OtlpPartialSuccess {
  /** How many log records, spans or data points were rejected (0 for a warning only). */
  rejected: number;
  message: string;
}

/**
 * The body of a successful Export response for `signal` in `encoding`: empty (protobuf) or `{}`
 * (JSON), or, with `partialSuccess`, a response whose `partial_success` holds the count in the
 * signal's field (`rejected_log_records`, `rejected_spans`, `rejected_data_points`) and the
 * message. Throws a RangeError if `rejected` is not a non-negative integer.
 *
 * @example
 * ```ts
 * import { encodeOtlpResponse } from "./encode_otlp_response.ts";
 * const { body, contentType } = encodeOtlpResponse("logs", "json", {
 *   rejected: 2,
 *   message: "2 records were too large",
 * });
 * // contentType: "application/json"
 * // body: {"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"2 records were too large"}}
 * ```
 */
export function encodeOtlpResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  partialSuccess?: OtlpPartialSuccess,
): OtlpResponseBody {
  if (partialSuccess === undefined) {
    return encodeMessage(RESPONSE_SCHEMAS[signal], create(RESPONSE_SCHEMAS[signal]), encoding);
  }
  const { rejected, message } = partialSuccess;
  if (!Number.isSafeInteger(rejected) || rejected < 0) {
    throw new RangeError(`partialSuccess.rejected must be a non-negative integer, got ${rejected}`);
  }
  const count = BigInt(rejected);
  switch (signal) {
    case "logs":
      return encodeMessage(
        ExportLogsServiceResponseSchema,
        create(ExportLogsServiceResponseSchema, {
          partialSuccess: { rejectedLogRecords: count, errorMessage: message },
        }),
        encoding,
      );
    case "traces":
      return encodeMessage(
        ExportTraceServiceResponseSchema,
        create(ExportTraceServiceResponseSchema, {
          partialSuccess: { rejectedSpans: count, errorMessage: message },
        }),
        encoding,
      );
    case "metrics":
      return encodeMessage(
        ExportMetricsServiceResponseSchema,
        create(ExportMetricsServiceResponseSchema, {
          partialSuccess: { rejectedDataPoints: count, errorMessage: message },
        }),
        encoding,
      );
  }
}

/**
 * The body of an error response: a `google.rpc.Status` with `code` (a google.rpc.Code, e.g.
 * 3 INVALID_ARGUMENT for a 400) and `message`, in `encoding`. OTLP/HTTP puts it in every 4xx and
 * 5xx response, in the request's encoding.
 *
 * @example
 * ```ts
 * import { encodeOtlpStatus } from "./encode_otlp_response.ts";
 * const { body } = encodeOtlpStatus("json", 3, "Cannot decode protobuf logs request: premature EOF");
 * // body: {"code":3,"message":"Cannot decode protobuf logs request: premature EOF"}
 * ```
 */
export function encodeOtlpStatus(
  encoding: OtlpEncoding,
  code: number,
  message: string,
): OtlpResponseBody {
  return encodeMessage(StatusSchema, create(StatusSchema, { code, message }), encoding);
}

const RESPONSE_SCHEMAS = {
  logs: ExportLogsServiceResponseSchema,
  traces: ExportTraceServiceResponseSchema,
  metrics: ExportMetricsServiceResponseSchema,
} as const;

function encodeMessage<Desc extends DescMessage>(
  schema: Desc,
  message: Parameters<typeof toBinary<Desc>>[1],
  encoding: OtlpEncoding,
): OtlpResponseBody {
  const body = encoding === "protobuf"
    ? toBinary(schema, message)
    : new TextEncoder().encode(toJsonString(schema, message));
  return { body, contentType: OTLP_CONTENT_TYPES[encoding] };
}
