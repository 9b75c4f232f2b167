/**
 * Decodes the body of an OTLP/HTTP Export request: content type, content encoding, size limit,
 * protobuf or OTLP/JSON.
 *
 * @module
 */

import { OTLP_REQUEST_SCHEMAS } from "./otlp_schemas.ts";
import { fromBinary, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { convertOtlpJsonIds } from "./convert_otlp_json_ids.ts";
import { decompressOtlpBody } from "./decompress_otlp_body.ts";
import { otlpEncodingOfContentType } from "./otlp_encoding_of_content_type.ts";
import {
  OTLP_RECURSION_LIMIT,
  type OtlpEncoding,
  type OtlpRequest,
  type OtlpSignal,
} from "./otlp_signal.ts";
import { quoteHeaderValue } from "./quote_header_value.ts";
import { repairProtobufUtf8 } from "./repair_protobuf_utf8.ts";
import { exceedsMessageBudget } from "./count_protobuf_messages.ts";
import { OTLP_JSON_MAX_DEPTH, scanJsonShape } from "./scan_json_shape.ts";
import { otlpItemBudget, tooManyItemsMessage } from "./otlp_item_budget.ts";

/** The request headers that decide how the body is read, and the size limit. */
export interface DecodeOtlpRequestOptions {
  /** The `Content-Type` header, or null if absent. */
  contentType: string | null;
  /** The `Content-Encoding` header, or null if absent. */
  contentEncoding: string | null;
  /** The largest body accepted, in bytes, measured after decompression (413 beyond it). */
  maxBytes: number;
  /**
   * The most items (nested messages, or JSON objects) a body may hold (413 beyond it), counted
   * before decoding; default {@link otlpItemBudget}`(maxBytes)`.
   */
  maxItems?: number;
}

/** A decoded Export request. */
export interface DecodedOtlpRequest<S extends OtlpSignal = OtlpSignal> {
  ok: true;
  request: OtlpRequest<S>;
  /** The body's encoding: answer in the same one. */
  encoding: OtlpEncoding;
  /** The body's size after decompression. */
  decodedBytes: number;
  /**
   * How many strings held invalid UTF-8 (protobuf) or lone UTF-16 surrogates (JSON `\ud800`
   * escapes) and were decoded with U+FFFD in their place; 0 for a clean request. A server may
   * report it as a partial-success warning.
   */
  replacedInvalidStrings: number;
}

/** A request refused, with the HTTP status to answer and a message for the client. */
export interface OtlpDecodeFailure {
  ok: false;
  status: 400 | 413 | 415;
  message: string;
  /** The body's encoding when the content type named one: encode the error body in it. */
  encoding?: OtlpEncoding;
}

/** What {@link decodeOtlpRequest} returns: a decoded request, or the status to answer. */
export type DecodeOtlpRequestResult<S extends OtlpSignal = OtlpSignal> =
  | DecodedOtlpRequest<S>
  | OtlpDecodeFailure;

/**
 * Decodes an OTLP/HTTP Export request body for `signal`. It never throws on any body or
 * header: every problem is a result with the HTTP status to answer. (A negative or NaN
 * `maxBytes` is a programming error and rejects with a RangeError.)
 *
 * - 415: a `Content-Type` other than `application/x-protobuf`, `application/protobuf` or
 *   `application/json` (parameters allowed, case-insensitive; a JSON charset must be UTF-8),
 *   or an unsupported `Content-Encoding` (supported: identity, gzip, deflate, zstd).
 * - 413: more than `maxBytes` after decompression; decompression stops as soon as the limit
 *   is crossed, so a gzip bomb costs about `maxBytes` of work. Also more than `maxItems`
 *   items (every nested message, or every JSON object), counted in one pass before anything
 *   is decoded, so a body of tiny records cannot make the decoder build millions of objects.
 * - 400: corrupt compression, a malformed protobuf message, JSON that is not UTF-8 or not
 *   OTLP/JSON, a trace/span id that is not hex, or nesting deeper than
 *   {@link OTLP_RECURSION_LIMIT} messages (never a stack overflow).
 *
 * Protobuf: an empty body is a valid empty request; unknown fields are skipped. Invalid UTF-8
 * in a string field is replaced with U+FFFD (as the OTLP specification recommends) rather than
 * losing the batch; see `replacedInvalidStrings`. Bytes fields (ids) may share memory with
 * `body`.
 *
 * OTLP/JSON: hex `traceId`/`spanId`/`parentSpanId` (empty allowed), int64 as strings or
 * numbers, enums as integers or names, lowerCamelCase or proto field names, `null` for absent
 * messages; unknown fields and unknown enum names are ignored. Lone surrogate escapes are
 * replaced with U+FFFD. Duplicate keys: the last one wins.
 *
 * @example
 * ```ts
 * import { decodeOtlpRequest } from "./decode_otlp_request.ts";
 * const body = new TextEncoder().encode('{"resourceLogs":[]}');
 * const result = await decodeOtlpRequest("logs", body, {
 *   contentType: "application/json",
 *   contentEncoding: null,
 *   maxBytes: 4 << 20,
 * });
 * if (result.ok) console.log(result.request.resourceLogs.length); // 0
 * else console.log(result.status, result.message);
 * ```
 */
export async function decodeOtlpRequest<S extends OtlpSignal>(
  signal: S,
  body: Uint8Array,
  options: DecodeOtlpRequestOptions,
): Promise<DecodeOtlpRequestResult<S>> {
  const encoding = otlpEncodingOfContentType(options.contentType);
  if (encoding === undefined) {
    return {
      ok: false,
      status: 415,
      message: options.contentType === null
        ? "Missing Content-Type: use application/x-protobuf or application/json"
        : `Unsupported Content-Type ${quoteHeaderValue(options.contentType)}: ` +
          "use application/x-protobuf or application/json",
    };
  }
  const decompressed = await decompressOtlpBody(body, options.contentEncoding, options.maxBytes);
  if (!decompressed.ok) {
    return { ok: false, status: decompressed.status, message: decompressed.message, encoding };
  }
  const bytes = decompressed.bytes;
  const maxItems = options.maxItems ?? otlpItemBudget(options.maxBytes);
  if (
    encoding === "protobuf" &&
    exceedsMessageBudget(OTLP_REQUEST_SCHEMAS[signal], bytes, maxItems, OTLP_RECURSION_LIMIT)
  ) {
    return { ok: false, status: 413, message: tooManyItemsMessage(maxItems), encoding };
  }
  const decoded = encoding === "protobuf"
    ? decodeProtobuf(signal, bytes)
    : decodeJson(signal, bytes, maxItems);
  if (decoded === TOO_MANY_ITEMS) {
    return { ok: false, status: 413, message: tooManyItemsMessage(maxItems), encoding };
  }
  if (typeof decoded === "string") {
    const what = encoding === "protobuf" ? "protobuf" : "OTLP/JSON";
    return {
      ok: false,
      status: 400,
      message: shorten(`Cannot decode ${what} ${signal} request: ${decoded}`),
      encoding,
    };
  }
  return {
    ok: true,
    request: decoded.request as OtlpRequest<S>,
    encoding,
    decodedBytes: bytes.byteLength,
    replacedInvalidStrings: decoded.replacedInvalidStrings,
  };
}

/** A decoded request, or why it cannot be decoded. */
type Decoded =
  | { request: OtlpRequest; replacedInvalidStrings: number }
  | string
  | typeof TOO_MANY_ITEMS;

const TOO_MANY_ITEMS = Symbol("too many items");

function decodeProtobuf(signal: OtlpSignal, bytes: Uint8Array): Decoded {
  const schema = OTLP_REQUEST_SCHEMAS[signal];
  try {
    return { request: readBinary(schema, bytes), replacedInvalidStrings: 0 };
  } catch (error) {
    // Only a string that is not UTF-8 is worth a second pass; anything else fails it too.
    let repaired;
    try {
      repaired = repairProtobufUtf8(schema, bytes, OTLP_RECURSION_LIMIT);
    } catch {
      return describeProtobufError(error);
    }
    if (repaired.repairedStrings === 0) return describeProtobufError(error);
    try {
      return {
        request: readBinary(schema, repaired.bytes),
        replacedInvalidStrings: repaired.repairedStrings,
      };
    } catch (retryError) {
      return describeProtobufError(retryError);
    }
  }
}

function readBinary(schema: (typeof OTLP_REQUEST_SCHEMAS)[OtlpSignal], bytes: Uint8Array) {
  // Unknown fields are not kept: Beacon never re-serialises a request.
  return fromBinary(schema, bytes, {
    readUnknownFields: false,
    recursionLimit: OTLP_RECURSION_LIMIT,
  }) as OtlpRequest;
}

function describeProtobufError(error: unknown): string {
  const reason = errorMessage(error);
  return reason.includes("maximum recursion depth") ? nestingTooDeep() : reason;
}

function decodeJson(signal: OtlpSignal, bytes: Uint8Array, maxItems: number): Decoded {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "the body is not valid UTF-8";
  }
  if (text.trim() === "") return "the body is empty (an empty request is {})";
  const shape = scanJsonShape(text, OTLP_JSON_MAX_DEPTH, maxItems);
  if (shape === "too deep") return nestingTooDeep();
  if (shape === "too many") return TOO_MANY_ITEMS;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `the body is not valid JSON: ${errorMessage(error)}`;
  }
  const counter = { replaced: 0 };
  json = replaceLoneSurrogates(json, counter);
  const badId = convertOtlpJsonIds(signal, json, "hex-to-base64");
  if (badId !== undefined) {
    return `${badId.path} must be a hex string, got ${shorten(JSON.stringify(badId.value), 40)}`;
  }
  try {
    const request = fromJson(OTLP_REQUEST_SCHEMAS[signal], json as JsonValue, {
      ignoreUnknownFields: true,
      recursionLimit: OTLP_RECURSION_LIMIT,
    }) as OtlpRequest;
    return { request, replacedInvalidStrings: counter.replaced };
  } catch (error) {
    const reason = errorMessage(error);
    return reason.includes("maximum recursion depth") ? nestingTooDeep() : reason;
  }
}

/**
 * JSON may escape a lone surrogate (`"\ud800"`, as JSON.stringify writes a JavaScript string
 * cut inside a pair); protobuf strings cannot hold one. Depth is bounded by OTLP_JSON_MAX_DEPTH.
 */
function replaceLoneSurrogates(value: unknown, counter: { replaced: number }): unknown {
  if (typeof value === "string") {
    if (value.isWellFormed()) return value;
    counter.replaced++;
    return value.toWellFormed();
  }
  if (typeof value === "object" && value !== null) {
    const holder = value as Record<string, unknown>;
    for (const key of Object.keys(holder)) {
      const child = holder[key];
      const replaced = replaceLoneSurrogates(child, counter);
      if (replaced !== child) holder[key] = replaced; // an own "__proto__" key is still own
    }
  }
  return value;
}

function nestingTooDeep(): string {
  return `messages nest deeper than ${OTLP_RECURSION_LIMIT} levels`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Error messages can quote the client's data: keep them short. */
function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
