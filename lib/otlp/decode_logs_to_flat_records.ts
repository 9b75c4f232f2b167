/**
 * Decodes a binary OTLP `ExportLogsServiceRequest` straight into flat log records, without
 * building the protobuf message first: the collector's hot path.
 *
 * @module
 */

import { base64Encode } from "@bufbuild/protobuf/wire";
import type { FlatObject, FlatValue } from "./flatten_any_value.ts";
import type { FlatLogRecord } from "./flatten_log_records.ts";
import type { FlatScope } from "./flatten_scope.ts";
import { freezeFlatObject } from "./freeze_flat_object.ts";
import { isWellFormedUtf8 } from "./is_well_formed_utf8.ts";
import { OTLP_RECURSION_LIMIT } from "./otlp_signal.ts";

/** Options of {@link decodeLogsToFlatRecords}. */
export interface DecodeLogsToFlatRecordsOptions {
  /**
   * The deepest message nesting accepted, counted as @bufbuild/protobuf counts it (the request
   * itself is level 1, a record's attribute value is level 6); default
   * {@link OTLP_RECURSION_LIMIT}.
   */
  recursionLimit?: number;
}

/** The flat records of a decoded request, or why the bytes are not one. */
export type DecodeLogsToFlatRecordsResult =
  | {
    ok: true;
    records: FlatLogRecord[];
    /**
     * How many string fields (at any depth, used or not) held invalid UTF-8 and were decoded
     * with U+FFFD in its place; 0 for a clean request.
     */
    replacedInvalidStrings: number;
  }
  | { ok: false; message: string };

/**
 * Decodes the protobuf bytes of an OTLP `ExportLogsServiceRequest` into the records that
 * `flattenLogRecords(fromBinary(ExportLogsServiceRequestSchema, bytes))` gives, five to six
 * times faster: a hand-written wire-format reader for just these messages that writes flat
 * values as it goes. It never throws.
 *
 * The same as fromBinary for every well-formed message: unknown fields (varint, fixed64,
 * length-delimited, fixed32) are skipped; fields may come in any order; the last of a
 * repeated scalar field wins and repeated occurrences of a singular message field are merged
 * (a second `body` with an `arrayValue` appends to the first's); nesting deeper than
 * `recursionLimit` is refused. Invalid UTF-8 in a string is replaced with U+FFFD and counted,
 * as `decodeOtlpRequest` does.
 *
 * Stricter than fromBinary, which accepts some malformed input (each of these is
 * `{ ok: false }` here, as in the OpenTelemetry Collector): a known field with the wrong wire
 * type (fromBinary reads it as its declared type anyway), a field running past the end of
 * its enclosing message (fromBinary reads on into the parent), groups (wire types 3 and 4; no
 * OTLP message has any), a length of 2^32 or more (fromBinary keeps its low 32 bits), and an
 * unknown varint field longer than 10 bytes. Conversely, a message with invalid UTF-8 and a
 * length varint padded beyond 5 bytes decodes here, where decodeOtlpRequest's repair gives up.
 *
 * Short ASCII strings are looked up in a module-level table (about 300 KiB) instead of being
 * made again; attribute values leave it at the end of each call, keys and names stay.
 *
 * @example
 * ```ts
 * import { create, toBinary } from "@bufbuild/protobuf";
 * import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
 * import { decodeLogsToFlatRecords } from "./decode_logs_to_flat_records.ts";
 * const bytes = toBinary(
 *   ExportLogsServiceRequestSchema,
 *   create(ExportLogsServiceRequestSchema, {
 *     resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: "INFO" }] }] }],
 *   }),
 * );
 * const result = decodeLogsToFlatRecords(bytes);
 * if (result.ok) console.log(result.records[0].severityText); // "INFO"
 * else console.log(result.message);
 * ```
 */
export function decodeLogsToFlatRecords(
  bytes: Uint8Array,
  options?: DecodeLogsToFlatRecordsOptions,
): DecodeLogsToFlatRecordsResult {
  const recursionLimit = options?.recursionLimit ?? OTLP_RECURSION_LIMIT;
  const reader = new Reader(bytes, recursionLimit);
  try {
    readRequest(reader, bytes.byteLength);
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, message: error.message };
    // A stack overflow, with a recursionLimit far above the default.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return { ok: false, message: "messages nest too deeply to decode" };
    }
    return { ok: false, message: `cannot decode: ${String(error)}` };
  } finally {
    forgetValues();
  }
  return { ok: true, records: reader.records, replacedInvalidStrings: reader.replaced };
}

/** Why the bytes are not a well-formed message; caught in decodeLogsToFlatRecords. */
class DecodeError extends Error {}

/** The decoder's state: the input, where it is, and what it produced so far. */
class Reader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  readonly recursionLimit: number;
  readonly records: FlatLogRecord[] = [];
  replaced = 0;
  /** Set by readScope: the scope of the ScopeLogs being read (merged occurrences). */
  scopeName = "";
  scopeVersion = "";

  constructor(buf: Uint8Array, recursionLimit: number) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.recursionLimit = recursionLimit;
  }
}

// Field numbers known in each message, as bit masks: a known field with an unexpected wire
// type is malformed rather than unknown.
const REQUEST_FIELDS = 1 << 1;
const RESOURCE_LOGS_FIELDS = (1 << 1) | (1 << 2) | (1 << 3);
const RESOURCE_FIELDS = (1 << 1) | (1 << 2) | (1 << 3);
const ENTITY_REF_FIELDS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4);
const SCOPE_LOGS_FIELDS = (1 << 1) | (1 << 2) | (1 << 3);
const SCOPE_FIELDS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4);
const LOG_RECORD_FIELDS = 0b1_1111_1110_1110; // 1..12 except 4 (reserved)
const KEY_VALUE_FIELDS = (1 << 1) | (1 << 2) | (1 << 3);
const ANY_VALUE_FIELDS = 0b1_1111_1110; // 1..8
const LIST_FIELDS = 1 << 1; // ArrayValue, KeyValueList

// Tags (field number << 3 | wire type) of the fields read, as they appear on the wire.
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;
const tag = (field: number, wireType: number) => (field << 3) | wireType;
const TAG_1_LEN = tag(1, LENGTH_DELIMITED);
const TAG_2_LEN = tag(2, LENGTH_DELIMITED);
const TAG_3_LEN = tag(3, LENGTH_DELIMITED);
const TAG_4_LEN = tag(4, LENGTH_DELIMITED);
const TAG_2_VARINT = tag(2, VARINT);
const TAG_3_VARINT = tag(3, VARINT);
const TAG_4_VARINT = tag(4, VARINT);
const TAG_LOG_TIME = tag(1, FIXED64);
const TAG_LOG_SEVERITY_NUMBER = tag(2, VARINT);
const TAG_LOG_SEVERITY_TEXT = tag(3, LENGTH_DELIMITED);
const TAG_LOG_BODY = tag(5, LENGTH_DELIMITED);
const TAG_LOG_ATTRIBUTES = tag(6, LENGTH_DELIMITED);
const TAG_LOG_DROPPED = tag(7, VARINT);
const TAG_LOG_FLAGS = tag(8, FIXED32);
const TAG_LOG_TRACE_ID = tag(9, LENGTH_DELIMITED);
const TAG_LOG_SPAN_ID = tag(10, LENGTH_DELIMITED);
const TAG_LOG_OBSERVED_TIME = tag(11, FIXED64);
const TAG_LOG_EVENT_NAME = tag(12, LENGTH_DELIMITED);
const TAG_ANY_STRING = tag(1, LENGTH_DELIMITED);
const TAG_ANY_BOOL = tag(2, VARINT);
const TAG_ANY_INT = tag(3, VARINT);
const TAG_ANY_DOUBLE = tag(4, FIXED64);
const TAG_ANY_ARRAY = tag(5, LENGTH_DELIMITED);
const TAG_ANY_KVLIST = tag(6, LENGTH_DELIMITED);
const TAG_ANY_BYTES = tag(7, LENGTH_DELIMITED);
const TAG_ANY_STRINDEX = tag(8, VARINT);

function fail(message: string): never {
  throw new DecodeError(message);
}

/** Checks the depth of a message about to be read (`depth` 1 is the request). */
function enter(reader: Reader, depth: number): void {
  if (depth > reader.recursionLimit) {
    fail(`messages nest deeper than ${reader.recursionLimit} levels`);
  }
}

function pastEnd(reader: Reader, at: number, end: number): never {
  if (end === reader.buf.byteLength) fail(`truncated message at byte ${at}`);
  fail(`field at byte ${at} runs past the end of its enclosing message at byte ${end}`);
}

// --- Messages ---------------------------------------------------------------------------------

function readRequest(reader: Reader, end: number): void {
  enter(reader, 1);
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      readResourceLogs(reader, fieldEnd, 2);
    } else {
      skipField(reader, t, end, REQUEST_FIELDS, "ExportLogsServiceRequest");
    }
  }
}

function readResourceLogs(reader: Reader, end: number, depth: number): void {
  enter(reader, depth);
  const records = reader.records;
  const first = records.length;
  let resource: FlatObject | undefined;
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_2_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      readScopeLogs(reader, fieldEnd, depth + 1);
    } else if (t === TAG_1_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      resource ??= {};
      readResource(reader, fieldEnd, depth + 1, resource);
    } else if (t === TAG_3_LEN) {
      checkString(reader, end); // schema_url
    } else {
      skipField(reader, t, end, RESOURCE_LOGS_FIELDS, "ResourceLogs");
    }
  }
  // The records of one ResourceLogs share one frozen object: a copy per record would let a
  // small request (a large resource over many tiny records) cost attributes x records.
  const shared = resource === undefined ? NO_RESOURCE : freezeFlatObject(resource);
  for (let i = first; i < records.length; i++) records[i].resource = shared;
}

function readResource(reader: Reader, end: number, depth: number, attributes: FlatObject): void {
  enter(reader, depth);
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      readKeyValue(reader, fieldEnd, depth + 1, attributes);
    } else if (t === TAG_2_VARINT) {
      skipVarint(reader, end); // dropped_attributes_count
    } else if (t === TAG_3_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      readEntityRef(reader, fieldEnd, depth + 1);
    } else {
      skipField(reader, t, end, RESOURCE_FIELDS, "Resource");
    }
  }
}

/** An EntityRef is not flattened, but its strings are checked like any others. */
function readEntityRef(reader: Reader, end: number, depth: number): void {
  enter(reader, depth);
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN || t === TAG_2_LEN || t === TAG_3_LEN || t === TAG_4_LEN) {
      checkString(reader, end);
    } else {
      skipField(reader, t, end, ENTITY_REF_FIELDS, "EntityRef");
    }
  }
}

function readScopeLogs(reader: Reader, end: number, depth: number): void {
  enter(reader, depth);
  const records = reader.records;
  const first = records.length;
  let name = "";
  let version = "";
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_2_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      readLogRecord(reader, fieldEnd, depth + 1);
    } else if (t === TAG_1_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      reader.scopeName = name;
      reader.scopeVersion = version;
      readScope(reader, fieldEnd, depth + 1);
      name = reader.scopeName;
      version = reader.scopeVersion;
    } else if (t === TAG_3_LEN) {
      checkString(reader, end); // schema_url
    } else {
      skipField(reader, t, end, SCOPE_LOGS_FIELDS, "ScopeLogs");
    }
  }
  const scope: FlatScope = Object.freeze({ name, version });
  for (let i = first; i < records.length; i++) records[i].scope = scope;
}

/** Merges an InstrumentationScope into reader.scopeName and reader.scopeVersion. */
function readScope(reader: Reader, end: number, depth: number): void {
  enter(reader, depth);
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN) {
      reader.scopeName = readString(reader, end, KEEP);
    } else if (t === TAG_2_LEN) {
      reader.scopeVersion = readString(reader, end, KEEP);
    } else if (t === TAG_3_LEN) {
      // Scope attributes are not flattened (flattenScope leaves them out), but checked.
      const fieldEnd = readLengthEnd(reader, end);
      readKeyValue(reader, fieldEnd, depth + 1, {});
    } else if (t === TAG_4_VARINT) {
      skipVarint(reader, end); // dropped_attributes_count
    } else {
      skipField(reader, t, end, SCOPE_FIELDS, "InstrumentationScope");
    }
  }
}

const NO_SCOPE: FlatScope = Object.freeze({ name: "", version: "" });
const NO_RESOURCE: FlatObject = Object.freeze({}) as FlatObject;

function readLogRecord(reader: Reader, end: number, depth: number): void {
  enter(reader, depth);
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = "";
  let body: FlatValue = null;
  const attributes: FlatObject = {};
  let traceId = "";
  let spanId = "";
  let eventName = "";
  while (reader.pos < end) {
    const t = readTag(reader, end);
    switch (t) {
      case TAG_LOG_ATTRIBUTES: {
        const fieldEnd = readLengthEnd(reader, end);
        readKeyValue(reader, fieldEnd, depth + 1, attributes);
        break;
      }
      case TAG_LOG_OBSERVED_TIME:
        observedTimeUnixNano = readFixed64(reader, end);
        break;
      case TAG_LOG_TIME:
        timeUnixNano = readFixed64(reader, end);
        break;
      case TAG_LOG_SEVERITY_NUMBER:
        severityNumber = readInt32(reader, end);
        break;
      case TAG_LOG_SEVERITY_TEXT:
        severityText = readString(reader, end, KEEP);
        break;
      case TAG_LOG_EVENT_NAME:
        eventName = readString(reader, end, KEEP);
        break;
      case TAG_LOG_BODY: {
        const fieldEnd = readLengthEnd(reader, end);
        body = readAnyValue(reader, fieldEnd, depth + 1, body);
        break;
      }
      case TAG_LOG_TRACE_ID:
        traceId = readHex(reader, end);
        break;
      case TAG_LOG_SPAN_ID:
        spanId = readHex(reader, end);
        break;
      case TAG_LOG_DROPPED:
        skipVarint(reader, end);
        break;
      case TAG_LOG_FLAGS:
        if (reader.pos + 4 > end) pastEnd(reader, reader.pos, end);
        reader.pos += 4;
        break;
      default:
        skipField(reader, t, end, LOG_RECORD_FIELDS, "LogRecord");
    }
  }
  reader.records.push({
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    resource: NO_RESOURCE, // set by readResourceLogs
    scope: NO_SCOPE, // set by readScopeLogs
    traceId,
    spanId,
    eventName,
  });
}

/** Reads a KeyValue and sets its flattened value in `target` (the last duplicate key wins). */
function readKeyValue(reader: Reader, end: number, depth: number, target: FlatObject): void {
  enter(reader, depth);
  let key = "";
  let value: FlatValue = null;
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN) {
      key = readString(reader, end, KEEP);
    } else if (t === TAG_2_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      const pos = reader.pos;
      if (
        value === null && pos < fieldEnd && reader.buf[pos] === TAG_ANY_STRING &&
        depth < reader.recursionLimit
      ) {
        // The common case, a string value, without a call.
        reader.pos = pos + 1;
        value = readString(reader, fieldEnd, FORGET);
        if (reader.pos === fieldEnd) continue;
      }
      value = readAnyValue(reader, fieldEnd, depth + 1, value);
    } else if (t === TAG_3_VARINT) {
      skipVarint(reader, end); // key_strindex (profiles only)
    } else {
      skipField(reader, t, end, KEY_VALUE_FIELDS, "KeyValue");
    }
  }
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/**
 * Reads an AnyValue merged into `previous` (the flattened value of an earlier occurrence of
 * the same field, or null): a later array or kvlist appends to an earlier one, as protobuf
 * merges a oneof's message of the same case; anything else replaces it.
 */
function readAnyValue(reader: Reader, end: number, depth: number, previous: FlatValue): FlatValue {
  enter(reader, depth);
  let value = previous;
  while (reader.pos < end) {
    const t = readTag(reader, end);
    switch (t) {
      case TAG_ANY_STRING:
        value = readString(reader, end, FORGET);
        break;
      case TAG_ANY_BOOL:
        value = readBool(reader, end);
        break;
      case TAG_ANY_INT:
        value = readInt64(reader, end);
        break;
      case TAG_ANY_DOUBLE: {
        const pos = reader.pos;
        if (pos + 8 > end) pastEnd(reader, pos, end);
        const double = reader.view.getFloat64(pos, true);
        reader.pos = pos + 8;
        value = Number.isFinite(double) ? double : String(double);
        break;
      }
      case TAG_ANY_ARRAY: {
        const fieldEnd = readLengthEnd(reader, end);
        const array = Array.isArray(value) ? value : [];
        readArrayValue(reader, fieldEnd, depth + 1, array);
        value = array;
        break;
      }
      case TAG_ANY_KVLIST: {
        const fieldEnd = readLengthEnd(reader, end);
        const object = value !== null && typeof value === "object" && !Array.isArray(value)
          ? value
          : {};
        readKeyValueList(reader, fieldEnd, depth + 1, object);
        value = object;
        break;
      }
      case TAG_ANY_BYTES: {
        const fieldEnd = readLengthEnd(reader, end);
        value = base64Encode(reader.buf.subarray(reader.pos, fieldEnd));
        reader.pos = fieldEnd;
        break;
      }
      case TAG_ANY_STRINDEX:
        skipVarint(reader, end); // string_value_strindex (profiles only): flattened to null
        value = null;
        break;
      default:
        skipField(reader, t, end, ANY_VALUE_FIELDS, "AnyValue");
    }
  }
  return value;
}

function readArrayValue(reader: Reader, end: number, depth: number, target: FlatValue[]): void {
  enter(reader, depth);
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      target.push(readAnyValue(reader, fieldEnd, depth + 1, null));
    } else {
      skipField(reader, t, end, LIST_FIELDS, "ArrayValue");
    }
  }
}

function readKeyValueList(reader: Reader, end: number, depth: number, target: FlatObject): void {
  enter(reader, depth);
  while (reader.pos < end) {
    const t = readTag(reader, end);
    if (t === TAG_1_LEN) {
      const fieldEnd = readLengthEnd(reader, end);
      readKeyValue(reader, fieldEnd, depth + 1, target);
    } else {
      skipField(reader, t, end, LIST_FIELDS, "KeyValueList");
    }
  }
}

// --- Fields -----------------------------------------------------------------------------------

/** A tag: a varint of at most 5 bytes that fits 32 bits, with a field number of 1 or more. */
function readTag(reader: Reader, end: number): number {
  const buf = reader.buf;
  const pos = reader.pos;
  const first = buf[pos]; // pos < end here
  if (first < 0x80 && first >= 8) {
    reader.pos = pos + 1;
    return first;
  }
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 5; i++) {
    if (pos + i >= end) pastEnd(reader, pos, end);
    const byte = buf[pos + i];
    if (i === 4 && byte > 0x0f) fail(`invalid tag at byte ${pos}: longer than 32 bits`);
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      if (value < 8) fail(`invalid tag at byte ${pos}: field number 0`);
      reader.pos = pos + i + 1;
      return value;
    }
    scale *= 128;
  }
  return fail(`invalid tag at byte ${pos}: longer than 32 bits`);
}

/**
 * Reads the length of a length-delimited field and returns where the field ends, checking
 * that it ends within `end`. Lengths are varints of up to 10 bytes (padding allowed).
 */
function readLengthEnd(reader: Reader, end: number): number {
  const buf = reader.buf;
  const pos = reader.pos;
  let length = buf[pos];
  let next = pos + 1;
  if (!(length < 0x80) || pos >= end) {
    length = 0;
    let scale = 1;
    for (let i = 0;; i++) {
      if (i === 10) fail(`varint longer than 10 bytes at byte ${pos}`);
      if (pos + i >= end) pastEnd(reader, pos, end);
      const byte = buf[pos + i];
      length += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        next = pos + i + 1;
        break;
      }
      scale *= 128;
    }
  }
  const fieldEnd = next + length;
  if (fieldEnd > end) {
    if (end === buf.byteLength) fail(`truncated message: length ${length} at byte ${pos}`);
    fail(`length ${length} at byte ${pos} runs past the end of its enclosing message`);
  }
  reader.pos = next;
  return fieldEnd;
}

/** Skips a field that is not read: an unknown field, or a malformed known one. */
function skipField(reader: Reader, t: number, end: number, known: number, message: string) {
  const fieldNumber = t >>> 3;
  const wireType = t & 7;
  const at = reader.pos;
  if (wireType > FIXED32) {
    fail(`invalid wire type ${wireType} in field ${fieldNumber} (byte ${at})`);
  }
  if (fieldNumber < 31 && (known & (1 << fieldNumber)) !== 0) {
    fail(`field ${fieldNumber} of ${message} has the wrong wire type ${wireType} (byte ${at})`);
  }
  switch (wireType) {
    case VARINT:
      skipVarint(reader, end);
      return;
    case FIXED64:
      if (at + 8 > end) pastEnd(reader, at, end);
      reader.pos = at + 8;
      return;
    case LENGTH_DELIMITED:
      reader.pos = readLengthEnd(reader, end);
      return;
    case FIXED32:
      if (at + 4 > end) pastEnd(reader, at, end);
      reader.pos = at + 4;
      return;
    default: // 3 and 4
      fail(`unsupported group (wire type ${wireType}) in field ${fieldNumber} (byte ${at})`);
  }
}

function skipVarint(reader: Reader, end: number): void {
  const buf = reader.buf;
  const pos = reader.pos;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) pastEnd(reader, pos, end);
    if (buf[pos + i] < 0x80) {
      reader.pos = pos + i + 1;
      return;
    }
  }
  fail(`varint longer than 10 bytes at byte ${pos}`);
}

// The low and high 32 bits of the last varint read by readVarint64.
let varintLow = 0;
let varintHigh = 0;

/**
 * Reads a varint of up to 10 bytes into varintLow and varintHigh, exactly as
 * @bufbuild/protobuf does (bits beyond 64 are dropped).
 */
function readVarint64(reader: Reader, end: number): void {
  const buf = reader.buf;
  const start = reader.pos;
  let pos = start;
  let low = 0;
  let high = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= end) pastEnd(reader, start, end);
    const byte = buf[pos++];
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      reader.pos = pos;
      varintLow = low;
      varintHigh = high;
      return;
    }
  }
  if (pos >= end) pastEnd(reader, start, end);
  const middle = buf[pos++];
  low |= (middle & 0x0f) << 28;
  high = (middle & 0x70) >> 4;
  if (middle < 0x80) {
    reader.pos = pos;
    varintLow = low;
    varintHigh = high;
    return;
  }
  for (let shift = 3; shift <= 31; shift += 7) {
    if (pos >= end) pastEnd(reader, start, end);
    const byte = buf[pos++];
    high |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      reader.pos = pos;
      varintLow = low;
      varintHigh = high;
      return;
    }
  }
  fail(`varint longer than 10 bytes at byte ${start}`);
}

/** An int32 (or enum): the low 32 bits of a varint, signed. */
function readInt32(reader: Reader, end: number): number {
  const pos = reader.pos;
  const first = reader.buf[pos];
  if (first < 0x80 && pos < end) {
    reader.pos = pos + 1;
    return first;
  }
  readVarint64(reader, end);
  return varintLow | 0;
}

function readBool(reader: Reader, end: number): boolean {
  const pos = reader.pos;
  const first = reader.buf[pos];
  if (first < 0x80 && pos < end) {
    reader.pos = pos + 1;
    return first !== 0;
  }
  readVarint64(reader, end);
  return varintLow !== 0 || varintHigh !== 0;
}

/** An int64 as flattenInt64 gives it: a number when it is a safe integer, else a string. */
function readInt64(reader: Reader, end: number): number | string {
  const buf = reader.buf;
  const start = reader.pos;
  // Up to 7 bytes: a non-negative integer below 2^49.
  let value = 0;
  let scale = 1;
  for (let pos = start; pos < end && pos < start + 7; pos++) {
    const byte = buf[pos];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      reader.pos = pos + 1;
      return value;
    }
    scale *= 128;
  }
  readVarint64(reader, end);
  const high = varintHigh | 0;
  const low = varintLow >>> 0;
  // Safe integers are -(2^53 - 1) ..= 2^53 - 1: high in -2^21 ..< 2^21, except -2^53 itself.
  if (high >= -0x200000 && high < 0x200000 && !(high === -0x200000 && low === 0)) {
    return high * 0x1_0000_0000 + low;
  }
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low)).toString();
}

/** A fixed64 (a timestamp) as a bigint. */
function readFixed64(reader: Reader, end: number): bigint {
  const pos = reader.pos;
  if (pos + 8 > end) pastEnd(reader, pos, end);
  reader.pos = pos + 8;
  return reader.view.getBigUint64(pos, true);
}

const HEX_DIGITS = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));

/** A bytes field (an id) as lower-case hex. */
function readHex(reader: Reader, end: number): string {
  const fieldEnd = readLengthEnd(reader, end);
  const start = reader.pos;
  reader.pos = fieldEnd;
  const buf = reader.buf;
  if (fieldEnd - start <= MAX_CACHED_LENGTH / 2) {
    const codes = charCodes[(fieldEnd - start) * 2];
    for (let i = start, k = 0; i < fieldEnd; i++, k += 2) {
      codes[k] = HEX_DIGITS[buf[i] >> 4];
      codes[k + 1] = HEX_DIGITS[buf[i] & 15];
    }
    return String.fromCharCode.apply(null, codes);
  }
  let hex = "";
  for (let i = start; i < fieldEnd; i++) {
    hex += String.fromCharCode(HEX_DIGITS[buf[i] >> 4], HEX_DIGITS[buf[i] & 15]);
  }
  return hex;
}

// A leading U+FEFF in a protobuf string is text, not a byte-order mark.
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Short ASCII strings repeat (attribute keys on every record, many values within a batch):
 * they are looked up by their bytes in a small hash table of strings already made, which
 * costs less than making them again. Each entry keeps the string and a copy of its bytes.
 * Strings read with KEEP (keys, names) stay in the table across calls; those read with
 * FORGET (attribute values, which may be content) are removed at the end of the call.
 */
const KEEP = true;
const FORGET = false;
const MAX_CACHED_LENGTH = 64;
const SLOT_BITS = 6; // 64 bytes per entry
const CACHE_SIZE = 1 << 12;
const stringCache: string[] = new Array<string>(CACHE_SIZE).fill("");
const cacheBytes = new Uint8Array(CACHE_SIZE << SLOT_BITS);
const cacheView = new DataView(cacheBytes.buffer);
/** The entries filled with FORGET in this call; more than CACHE_SIZE means all. */
const forgetSlots = new Int32Array(CACHE_SIZE);
let forgetCount = 0;
/** For each length, an array to pass character codes to String.fromCharCode. */
const charCodes: number[][] = Array.from(
  { length: MAX_CACHED_LENGTH + 1 },
  (_, length) => new Array<number>(length).fill(0),
);

/**
 * Empties the entries filled with FORGET (their strings and bytes). An entry's bytes are
 * those of its string followed by zeros, so zeroing the string's length clears it.
 */
function forgetValues(): void {
  if (forgetCount > CACHE_SIZE) {
    stringCache.fill("");
    cacheBytes.fill(0);
  } else {
    for (let i = 0; i < forgetCount; i++) {
      const index = forgetSlots[i];
      const slot = index << SLOT_BITS;
      const end = slot + stringCache[index].length;
      for (let j = slot; j < end; j++) cacheBytes[j] = 0;
      stringCache[index] = "";
    }
  }
  forgetCount = 0;
}

/** A string field, with invalid UTF-8 replaced by U+FFFD (and counted). */
function readString(reader: Reader, end: number, keep: boolean): string {
  const fieldEnd = readLengthEnd(reader, end);
  const start = reader.pos;
  reader.pos = fieldEnd;
  const length = fieldEnd - start;
  if (length === 0) return "";
  const buf = reader.buf;
  if (length <= MAX_CACHED_LENGTH) {
    const view = reader.view;
    const words = length & ~3;
    let hash = length;
    let i = 0;
    for (; i < words; i += 4) {
      hash = Math.imul(hash ^ view.getInt32(start + i, true), 0x9e3779b1);
      hash ^= hash >>> 15;
    }
    for (; i < length; i++) hash = Math.imul(hash ^ buf[start + i], 0x9e3779b1);
    const index = (hash ^ (hash >>> 16)) & (CACHE_SIZE - 1);
    const slot = index << SLOT_BITS;
    const cached = stringCache[index];
    if (cached.length === length) {
      let j = 0;
      while (j < words && view.getInt32(start + j, true) === cacheView.getInt32(slot + j, true)) {
        j += 4;
      }
      if (j === words) {
        while (j < length && buf[start + j] === cacheBytes[slot + j]) j++;
        if (j === length) return cached;
      }
    }
    // Not there: if it is ASCII, make it from its character codes and enter it in place of
    // the entry there (zeroing what is left of that one's bytes).
    const codes = charCodes[length];
    let k = 0;
    for (; k < length; k++) {
      const byte = buf[start + k];
      if (byte >= 0x80) break;
      codes[k] = byte;
      cacheBytes[slot + k] = byte;
    }
    if (k === length) {
      for (let j = slot + length; j < slot + cached.length; j++) cacheBytes[j] = 0;
      const text = String.fromCharCode.apply(null, codes);
      stringCache[index] = text;
      if (!keep) {
        if (forgetCount < CACHE_SIZE) forgetSlots[forgetCount] = index;
        forgetCount++;
      }
      return text;
    }
    // Not ASCII: the entry there was partly overwritten, so remove it.
    for (let j = slot; j < slot + Math.max(k, cached.length); j++) cacheBytes[j] = 0;
    stringCache[index] = "";
  }
  const text = utf8Decoder.decode(buf.subarray(start, fieldEnd));
  if (text.indexOf("\ufffd") !== -1 && !isWellFormedUtf8(buf, start, fieldEnd)) {
    reader.replaced++;
  }
  return text;
}

/** A string field that is not flattened: only its UTF-8 is checked (and counted if invalid). */
function checkString(reader: Reader, end: number): void {
  const fieldEnd = readLengthEnd(reader, end);
  if (!isWellFormedUtf8(reader.buf, reader.pos, fieldEnd)) reader.replaced++;
  reader.pos = fieldEnd;
}
