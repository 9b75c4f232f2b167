/**
 * Decodes the body of an OTLP/HTTP logs Export request straight to flat log records: the
 * collector's hot path for `/v1/logs`.
 *
 * @module
 */

import type { DecodeOtlpRequestOptions, OtlpDecodeFailure } from "./decode_otlp_request.ts";
import { decodeLogsToFlatRecords } from "./decode_logs_to_flat_records.ts";
import { decompressOtlpBody } from "./decompress_otlp_body.ts";
import type { FlatLogRecord } from "./flatten_log_records.ts";
import { otlpEncodingOfContentType } from "./otlp_encoding_of_content_type.ts";
import { OTLP_RECURSION_LIMIT, type OtlpEncoding } from "./otlp_signal.ts";
import { exceedsMessageBudget } from "./count_protobuf_messages.ts";
import { LOGS_REQUEST_WIRE_SHAPE } from "./logs_request_wire_shape.ts";
import { otlpItemBudget, tooManyItemsMessage } from "./otlp_item_budget.ts";

/** A decoded logs Export request, as flat records. */
export interface DecodedOtlpLogs {
  ok: true;
  /** One record per log record, in order, as `flattenLogRecords` gives them. */
  records: FlatLogRecord[];
  /** The body's encoding: answer in the same one. */
  encoding: OtlpEncoding;
  /** The body's size after decompression. */
  decodedBytes: number;
  /**
   * How many strings held invalid UTF-8 (protobuf) or lone UTF-16 surrogates (JSON) and were
   * decoded with U+FFFD in their place; 0 for a clean request.
   */
  replacedInvalidStrings: number;
}

/** What {@link decodeOtlpLogsFast} returns: flat records, or the status to answer. */
export type DecodeOtlpLogsFastResult = DecodedOtlpLogs | OtlpDecodeFailure;

/**
 * Decodes an OTLP/HTTP logs Export request body to flat log records: the same contract as
 * `decodeOtlpRequest("logs", body, options)` followed by `flattenLogRecords` (statuses 400,
 * 413 (size or item budget) and 415, encoding, decodedBytes, replacedInvalidStrings; it never throws except on a
 * negative or NaN `maxBytes`), but a protobuf body is decoded by
 * {@link decodeLogsToFlatRecords}, several times faster, which is also stricter about some
 * malformed bodies (see there). An OTLP/JSON body, or a refused content type, takes the
 * `decodeOtlpRequest` path.
 *
 * @example
 * ```ts
 * import { decodeOtlpLogsFast } from "./decode_otlp_logs_fast.ts";
 * const body = new TextEncoder().encode('{"resourceLogs":[]}');
 * const result = await decodeOtlpLogsFast(body, {
 *   contentType: "application/json",
 *   contentEncoding: null,
 *   maxBytes: 4 << 20,
 * });
 * if (result.ok) console.log(result.records.length); // 0
 * else console.log(result.status, result.message);
 * ```
 */
export async function decodeOtlpLogsFast(
  body: Uint8Array,
  options: DecodeOtlpRequestOptions,
): Promise<DecodeOtlpLogsFastResult> {
  const encoding = otlpEncodingOfContentType(options.contentType);
  if (encoding !== "protobuf") {
    // Loaded on first use: the protobuf runtime and generated schemas are not needed for the
    // protobuf hot path, and cost the collector's idle memory.
    const [{ decodeOtlpRequest }, { flattenLogRecords }] = await Promise.all([
      import("./decode_otlp_request.ts"),
      import("./flatten_log_records.ts"),
    ]);
    const decoded = await decodeOtlpRequest("logs", body, options);
    if (!decoded.ok) return decoded;
    return {
      ok: true,
      records: flattenLogRecords(decoded.request),
      encoding: decoded.encoding,
      decodedBytes: decoded.decodedBytes,
      replacedInvalidStrings: decoded.replacedInvalidStrings,
    };
  }
  const decompressed = await decompressOtlpBody(body, options.contentEncoding, options.maxBytes);
  if (!decompressed.ok) {
    return { ok: false, status: decompressed.status, message: decompressed.message, encoding };
  }
  const bytes = decompressed.bytes;
  const maxItems = options.maxItems ?? otlpItemBudget(options.maxBytes);
  // Counted before decoding (a cheap pass that allocates nothing), so that a body of tiny
  // records is refused before the decoder builds any of them.
  if (
    exceedsMessageBudget(LOGS_REQUEST_WIRE_SHAPE, bytes, maxItems, OTLP_RECURSION_LIMIT)
  ) {
    return { ok: false, status: 413, message: tooManyItemsMessage(maxItems), encoding };
  }
  const decoded = decodeLogsToFlatRecords(bytes);
  if (!decoded.ok) {
    return {
      ok: false,
      status: 400,
      message: shorten(`Cannot decode protobuf logs request: ${decoded.message}`),
      encoding,
    };
  }
  return {
    ok: true,
    records: decoded.records,
    encoding,
    decodedBytes: bytes.byteLength,
    replacedInvalidStrings: decoded.replacedInvalidStrings,
  };
}

/** Error messages can quote the client's data: keep them short. */
function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
