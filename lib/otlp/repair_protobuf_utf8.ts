/**
 * Replaces invalid UTF-8 in the `string` fields of a binary protobuf message with U+FFFD, so
 * that a strict parser accepts it.
 *
 * @module
 */

import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { isWellFormedUtf8 } from "./is_well_formed_utf8.ts";

/** The repaired message bytes, and how many string fields had to be repaired. */
export interface RepairedProtobuf {
  bytes: Uint8Array;
  repairedStrings: number;
}

/**
 * Rewrites a binary message of type `schema`, replacing every invalid UTF-8 sequence in its
 * `string` fields (at any depth) with U+FFFD and leaving everything else byte for byte.
 *
 * Proto3 requires valid UTF-8 and @bufbuild/protobuf refuses anything else, but the OTLP
 * specification lets receivers pass invalid strings on and recommends U+FFFD when they do, and
 * real exporters send them (a JavaScript string cut inside a surrogate pair, encoded by a
 * permissive runtime). Losing a whole batch of audit events to one bad byte is worse than a
 * replacement character, so the OTLP decoder calls this when a strict parse fails.
 *
 * It scans the message once without copying, and builds the result only if something changed,
 * from views of the input. Throws (a RangeError or Error) if the bytes are not a well-formed
 * message, use a varint longer than 5 bytes for a tag or length, or nest deeper than
 * `recursionLimit`: the caller then reports its original error.
 *
 * @example
 * ```ts
 * import { StatusSchema } from "./gen/google/rpc/status_pb.ts";
 * import { repairProtobufUtf8 } from "./repair_protobuf_utf8.ts";
 * // google.rpc.Status { message: "\xff" }
 * const { bytes, repairedStrings } = repairProtobufUtf8(StatusSchema, new Uint8Array([18, 1, 255]), 100);
 * // bytes: [18, 3, 0xef, 0xbf, 0xbd] (U+FFFD); repairedStrings: 1
 * ```
 */
export function repairProtobufUtf8(
  schema: DescMessage,
  bytes: Uint8Array,
  recursionLimit: number,
): RepairedProtobuf {
  const scan: Scan = { bytes, pos: 0, pieces: [], repairedStrings: 0 };
  const length = repairMessage(scan, schema, bytes.byteLength, recursionLimit);
  if (length === undefined) return { bytes, repairedStrings: 0 };
  const repaired = new Uint8Array(length);
  let offset = 0;
  for (const piece of scan.pieces) {
    if (typeof piece === "number") {
      offset = writeVarint32(repaired, offset, piece);
    } else if (piece instanceof Uint8Array) {
      repaired.set(piece, offset);
      offset += piece.byteLength;
    } else if (piece.end - piece.start > 64) {
      repaired.set(bytes.subarray(piece.start, piece.end), offset);
      offset += piece.end - piece.start;
    } else {
      for (let i = piece.start; i < piece.end; i++) repaired[offset++] = bytes[i];
    }
  }
  return { bytes: repaired, repairedStrings: scan.repairedStrings };
}

/** Where the scan is in the input, and the output so far as pieces to concatenate. */
interface Scan {
  readonly bytes: Uint8Array;
  pos: number;
  /**
   * New bytes, a varint to write (a length), or a range of the input. Numbers and plain
   * objects, not small typed arrays: those cost microseconds each to allocate and collect.
   */
  readonly pieces: (Uint8Array | number | InputRange)[];
  repairedStrings: number;
}

interface InputRange {
  start: number;
  end: number;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * Scans one message from `scan.pos` to `end`. If anything in it needed repair, appends its
 * repaired bytes to `scan.pieces` and returns their length; otherwise appends nothing and
 * returns undefined.
 */
function repairMessage(
  scan: Scan,
  desc: DescMessage,
  end: number,
  depthLeft: number,
): number | undefined {
  if (depthLeft <= 0) throw new Error("maximum recursion depth reached");
  const { pieces } = scan;
  const start = scan.pos;
  let copiedUpTo = start; // input before this is in `pieces` already
  let written = 0;
  while (scan.pos < end) {
    const tag = readVarint32(scan, end);
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    const field = wireType === WIRE_LENGTH_DELIMITED
      ? fieldsByNumber(desc).get(fieldNo)
      : undefined;
    const message = field === undefined ? undefined : messageOf(field);
    if (field === undefined || (message === undefined && !isString(field))) {
      skipField(scan, wireType, fieldNo, end, depthLeft);
      continue;
    }
    const lengthStart = scan.pos;
    const dataLength = readVarint32(scan, end);
    const dataStart = scan.pos;
    const dataEnd = dataStart + dataLength;
    if (dataEnd > end) throw new RangeError("premature EOF");
    // Optimistically: the input since the last repair up to this field's length, which is to
    // be filled in, then the repaired field.
    const undo = pieces.length;
    pieces.push({ start: copiedUpTo, end: lengthStart }, 0);
    let length: number | undefined;
    if (message !== undefined) {
      length = repairMessage(scan, message, dataEnd, depthLeft - 1);
    } else if (!isWellFormedUtf8(scan.bytes, dataStart, dataEnd)) {
      const repaired = utf8Encoder.encode(
        lenientUtf8.decode(scan.bytes.subarray(dataStart, dataEnd)),
      );
      pieces.push(repaired);
      scan.repairedStrings++;
      length = repaired.byteLength;
    }
    scan.pos = dataEnd;
    if (length === undefined) {
      pieces.length = undo;
      continue;
    }
    pieces[undo + 1] = length;
    written += lengthStart - copiedUpTo + varint32Size(length) + length;
    copiedUpTo = dataEnd;
  }
  if (scan.pos !== end) throw new RangeError("premature EOF");
  if (copiedUpTo === start) return undefined;
  pieces.push({ start: copiedUpTo, end });
  return written + end - copiedUpTo;
}

function readVarint32(scan: Scan, end: number): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (scan.pos >= end) throw new RangeError("premature EOF");
    const byte = scan.bytes[scan.pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      if (value > 0xffffffff) throw new Error("invalid varint");
      return value;
    }
  }
  throw new Error("invalid varint");
}

function skipField(
  scan: Scan,
  wireType: number,
  fieldNo: number,
  end: number,
  depthLeft: number,
): void {
  switch (wireType) {
    case WIRE_VARINT:
      for (let i = 0;; i++) {
        if (scan.pos >= end || i === 10) throw new Error("invalid varint");
        if (scan.bytes[scan.pos++] < 0x80) break;
      }
      return;
    case WIRE_FIXED64:
      scan.pos += 8;
      break;
    case WIRE_LENGTH_DELIMITED: {
      const length = readVarint32(scan, end);
      scan.pos += length;
      break;
    }
    case WIRE_FIXED32:
      scan.pos += 4;
      break;
    case WIRE_START_GROUP:
      if (depthLeft <= 0) throw new Error("maximum recursion depth reached");
      for (;;) {
        const tag = readVarint32(scan, end);
        if ((tag & 7) === WIRE_END_GROUP) {
          if (tag >>> 3 !== fieldNo) throw new Error("invalid end group tag");
          return;
        }
        skipField(scan, tag & 7, tag >>> 3, end, depthLeft - 1);
      }
    default:
      throw new Error(`illegal wire type ${wireType}`);
  }
  if (scan.pos > end) throw new RangeError("premature EOF");
}

function varint32Size(value: number): number {
  let size = 1;
  for (; value > 0x7f; value = Math.floor(value / 0x80)) size++;
  return size;
}

function writeVarint32(target: Uint8Array, offset: number, value: number): number {
  for (; value > 0x7f; value = Math.floor(value / 0x80)) target[offset++] = (value & 0x7f) | 0x80;
  target[offset++] = value;
  return offset;
}

function isString(field: DescField): boolean {
  return (field.fieldKind === "scalar" ||
    (field.fieldKind === "list" && field.listKind === "scalar")) &&
    field.scalar === ScalarType.STRING;
}

function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") return field.message;
  if (field.fieldKind === "list" && field.listKind === "message") return field.message;
  return undefined; // OTLP has no map fields; anything else is copied unchanged
}

const fieldMaps = new WeakMap<DescMessage, Map<number, DescField>>();

function fieldsByNumber(desc: DescMessage): Map<number, DescField> {
  let fields = fieldMaps.get(desc);
  if (fields === undefined) {
    fields = new Map(desc.fields.map((field) => [field.number, field]));
    fieldMaps.set(desc, fields);
  }
  return fields;
}
