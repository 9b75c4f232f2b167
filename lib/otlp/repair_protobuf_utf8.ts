/**
 * Replaces invalid UTF-8 in the `string` fields of a binary protobuf message with U+FFFD, so
 * that a strict parser accepts it.
 *
 * @module
 */

import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

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
 * Throws (a RangeError or Error from the wire reader) if the bytes are not a well-formed
 * message, or nest deeper than `recursionLimit`: the caller then reports its original error.
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
  const counter = { repairedStrings: 0 };
  const repaired = repairMessage(schema, bytes, recursionLimit, counter);
  return { bytes: repaired ?? bytes, repairedStrings: counter.repairedStrings };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** The repaired bytes of one message, or undefined when nothing in it needed repair. */
function repairMessage(
  desc: DescMessage,
  bytes: Uint8Array,
  depthLeft: number,
  counter: { repairedStrings: number },
): Uint8Array | undefined {
  if (depthLeft <= 0) throw new Error("maximum recursion depth reached");
  const reader = new BinaryReader(bytes);
  const writer = new BinaryWriter();
  let changed = false;
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const [fieldNo, wireType] = reader.tag();
    const field = wireType === WireType.LengthDelimited
      ? fieldsByNumber(desc).get(fieldNo)
      : undefined;
    if (field === undefined) {
      reader.skip(wireType, fieldNo, depthLeft);
      writer.raw(bytes.subarray(start, reader.pos));
      continue;
    }
    const data = reader.bytes();
    let replacement: Uint8Array | undefined;
    if (isString(field)) {
      replacement = repairString(data);
      if (replacement !== undefined) counter.repairedStrings++;
    } else {
      const message = messageOf(field);
      if (message !== undefined) replacement = repairMessage(message, data, depthLeft - 1, counter);
    }
    if (replacement === undefined) {
      writer.raw(bytes.subarray(start, reader.pos));
    } else {
      changed = true;
      writer.tag(fieldNo, WireType.LengthDelimited).bytes(replacement);
    }
  }
  return changed ? writer.finish() : undefined;
}

function repairString(data: Uint8Array): Uint8Array | undefined {
  try {
    strictUtf8.decode(data);
    return undefined;
  } catch {
    return utf8Encoder.encode(lenientUtf8.decode(data));
  }
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
