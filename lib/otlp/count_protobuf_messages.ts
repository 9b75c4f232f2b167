/**
 * Counts the messages inside a binary protobuf message without decoding it, to bound the work
 * a request may cause before any object is built.
 *
 * @module
 */

import type { DescField, DescMessage } from "@bufbuild/protobuf";

/**
 * Which fields of a message hold messages, and their own shapes: all the counter needs to know
 * of a schema. A generated `DescMessage` gives one ({@link wireShapeOf}); the collector's hot path
 * writes one by hand so that it does not load the generated code.
 */
export interface WireShape {
  readonly children: ReadonlyMap<number, WireShape>;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/**
 * How many messages of any type `bytes` (a message of type `schema`) holds at every depth, not
 * counting itself, stopping as soon as the count passes `limit` (it then returns `limit + 1`).
 * In OTLP this is records, spans, metrics and data points plus every attribute and value: what
 * a decoder turns into objects. Four bytes can be a whole log record, so a body's size alone
 * does not bound the objects decoding it makes.
 *
 * One pass, no allocation per field, no recursion (nesting deeper than `maxDepth` is not
 * descended into: the decoder refuses it). It never throws: bytes that are not a well-formed
 * message are counted up to where they stop making sense, and the decoder then reports them.
 *
 * @example
 * ```ts
 * import { countProtobufMessages } from "./count_protobuf_messages.ts";
 * import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
 * // resource_logs { scope_logs { log_records {} log_records {} } }
 * const bytes = new Uint8Array([0x0a, 0x06, 0x12, 0x04, 0x12, 0x00, 0x12, 0x00]);
 * countProtobufMessages(ExportLogsServiceRequestSchema, bytes, 1000, 100); // 4
 * ```
 */
export function countProtobufMessages(
  schema: DescMessage | WireShape,
  bytes: Uint8Array,
  limit: number,
  maxDepth: number,
): number {
  let count = 0;
  let pos = 0;
  // The open messages: their schema and where each ends.
  const descs: WireShape[] = ["children" in schema ? schema : wireShapeOf(schema)];
  const ends: number[] = [bytes.byteLength];
  while (descs.length > 0) {
    const depth = descs.length - 1;
    const end = ends[depth];
    if (pos >= end) {
      descs.pop();
      ends.pop();
      continue;
    }
    // Tag.
    let tag = 0;
    let shift = 0;
    let byte: number;
    do {
      if (pos >= end || shift > 28) return count;
      byte = bytes[pos++];
      tag |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    const wireType = tag & 7;
    switch (wireType) {
      case WIRE_VARINT: {
        let n = 0;
        while (pos < end && bytes[pos++] & 0x80) if (++n > 10) return count;
        break;
      }
      case WIRE_FIXED64:
        pos += 8;
        break;
      case WIRE_FIXED32:
        pos += 4;
        break;
      case WIRE_LENGTH_DELIMITED: {
        let length = 0;
        shift = 0;
        do {
          if (pos >= end || shift > 28) return count;
          byte = bytes[pos++];
          length += (byte & 0x7f) * 2 ** shift;
          shift += 7;
        } while (byte & 0x80);
        const fieldEnd = pos + length;
        if (fieldEnd > end) return count;
        const message = descs[depth].children.get(tag >>> 3);
        if (message !== undefined) {
          if (++count > limit) return count;
          if (depth + 1 < maxDepth) {
            descs.push(message);
            ends.push(fieldEnd);
            continue; // read the sub-message's fields from `pos`
          }
        }
        pos = fieldEnd;
        break;
      }
      default:
        return count; // groups or an invalid wire type: the decoder refuses them
    }
  }
  return count;
}

const SHAPES = new WeakMap<DescMessage, WireShape>();

/** The {@link WireShape} of a generated schema (built on first use of each message, cached). */
export function wireShapeOf(desc: DescMessage): WireShape {
  let shape = SHAPES.get(desc);
  if (shape === undefined) {
    let children: Map<number, WireShape> | undefined;
    shape = {
      get children() {
        if (children === undefined) {
          children = new Map();
          for (const field of desc.fields) {
            const message = messageOf(field);
            if (message !== undefined) children.set(field.number, wireShapeOf(message));
          }
        }
        return children;
      },
    };
    SHAPES.set(desc, shape);
  }
  return shape;
}

function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") return field.message;
  if (field.fieldKind === "list" && field.listKind === "message") return field.message;
  return undefined;
}

/**
 * Whether `bytes` holds more than `limit` messages (see {@link countProtobufMessages}), without
 * scanning when it cannot: every nested message takes at least two bytes (its tag and length),
 * so a body of fewer than `2 * (limit + 1)` bytes is within the limit whatever it holds. Codex's
 * requests (tens of KiB against a budget of half a million) are never scanned.
 *
 * @example
 * ```ts
 * import { exceedsMessageBudget } from "./count_protobuf_messages.ts";
 * import { ExportLogsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
 * exceedsMessageBudget(ExportLogsServiceRequestSchema, new Uint8Array(10), 1000, 100); // false
 * ```
 */
export function exceedsMessageBudget(
  schema: DescMessage | WireShape,
  bytes: Uint8Array,
  limit: number,
  maxDepth: number,
): boolean {
  if (bytes.byteLength < 2 * (limit + 1)) return false;
  return countProtobufMessages(schema, bytes, limit, maxDepth) > limit;
}
