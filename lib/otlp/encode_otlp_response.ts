/**
 * Encodes the bodies an OTLP/HTTP server answers with: the Export response on success, and a
 * `google.rpc.Status` on error, each in the request's encoding.
 *
 * @module
 */

import { concatBytes } from "../bytes/concat_bytes.ts";
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
  const contentType = OTLP_CONTENT_TYPES[encoding];
  if (partialSuccess === undefined) {
    return { body: encoding === "json" ? utf8.encode("{}") : new Uint8Array(), contentType };
  }
  const { rejected, message } = partialSuccess;
  if (!Number.isSafeInteger(rejected) || rejected < 0) {
    throw new RangeError(`partialSuccess.rejected must be a non-negative integer, got ${rejected}`);
  }
  if (encoding === "json") {
    // proto3 JSON: int64 as a string, default values left out.
    const partial: Record<string, string> = {};
    if (rejected) partial[REJECTED_JSON_NAMES[signal]] = String(rejected);
    if (message) partial.errorMessage = message;
    return { body: utf8.encode(JSON.stringify({ partialSuccess: partial })), contentType };
  }
  // ExportXServiceResponse { partial_success (1) { rejected_* (1, int64), error_message (2) } }
  const inner = concatBytes([varintField(1, rejected), stringField(2, message)]);
  return { body: lengthDelimited(1, inner), contentType };
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
  const contentType = OTLP_CONTENT_TYPES[encoding];
  if (encoding === "json") {
    const status: { code?: number; message?: string } = {};
    if (code) status.code = code;
    if (message) status.message = message;
    return { body: utf8.encode(JSON.stringify(status)), contentType };
  }
  // google.rpc.Status { code (1, int32), message (2, string) }
  return { body: concatBytes([varintField(1, code), stringField(2, message)]), contentType };
}

// Written by hand rather than with the generated schemas, so that answering a request does not
// load the protobuf runtime (the collector's idle memory; see bench/RESULTS.md). The tests
// check every body against the generated schemas.

const utf8 = new TextEncoder();

const REJECTED_JSON_NAMES = {
  logs: "rejectedLogRecords",
  traces: "rejectedSpans",
  metrics: "rejectedDataPoints",
} as const;

function varint(value: number): number[] {
  const bytes: number[] = [];
  // Negative int32 values are sign-extended to 64 bits (ten bytes), as protobuf requires.
  let big = BigInt.asUintN(64, BigInt(value));
  while (big > 0x7fn) {
    bytes.push(Number(big & 0x7fn) | 0x80);
    big >>= 7n;
  }
  bytes.push(Number(big));
  return bytes;
}

/** A varint field, or nothing for 0 (proto3 leaves default values out). */
function varintField(field: number, value: number): Uint8Array {
  return value === 0 ? new Uint8Array() : new Uint8Array([field << 3, ...varint(value)]);
}

/** A string field, or nothing for "". */
function stringField(field: number, value: string): Uint8Array {
  return value === "" ? new Uint8Array() : lengthDelimited(field, utf8.encode(value));
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return concatBytes([new Uint8Array([(field << 3) | 2, ...varint(payload.length)]), payload]);
}
