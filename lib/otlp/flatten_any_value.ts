/**
 * Converts OTLP attribute values (`AnyValue`, `KeyValue` lists) to plain JSON-friendly values.
 *
 * @module
 */

import { base64Encode } from "@bufbuild/protobuf/wire";
import type { AnyValue, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";

/**
 * An OTLP `AnyValue` as plain data that `JSON.stringify` writes without loss:
 *
 * - string, bool: as is
 * - int64: a number when it is a safe integer, else its decimal string
 * - double: a number; NaN and the infinities as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`
 * - bytes: a base64 string
 * - array: an array; kvlist: an object (the last of duplicate keys wins)
 * - an empty value (and the profiles-only `string_value_strindex`): null
 */
export type FlatValue = string | number | boolean | null | FlatValue[] | FlatObject;

/** A flattened kvlist or attribute list. */
export interface FlatObject {
  [key: string]: FlatValue;
}

/**
 * Flattens an `AnyValue` (undefined counts as empty: null). Nesting depth is whatever the
 * decoder allowed (OTLP_RECURSION_LIMIT), so the recursion is bounded.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { AnyValueSchema } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
 * import { flattenAnyValue } from "./flatten_any_value.ts";
 * flattenAnyValue(create(AnyValueSchema, { value: { case: "intValue", value: 42n } })); // 42
 * ```
 */
export function flattenAnyValue(value: AnyValue | undefined): FlatValue {
  const held = value?.value;
  switch (held?.case) {
    case "stringValue":
    case "boolValue":
      return held.value;
    case "intValue":
      return flattenInt64(held.value);
    case "doubleValue":
      return flattenDouble(held.value);
    case "bytesValue":
      return base64Encode(held.value);
    case "arrayValue":
      return held.value.values.map(flattenAnyValue);
    case "kvlistValue":
      return flattenKeyValues(held.value.values);
    default:
      return null;
  }
}

/**
 * Flattens an attribute list (or kvlist) to an object; the last of duplicate keys wins. A key
 * named `__proto__` becomes an ordinary own property.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { KeyValueSchema } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
 * import { flattenKeyValues } from "./flatten_any_value.ts";
 * const attribute = create(KeyValueSchema, {
 *   key: "event.name",
 *   value: { value: { case: "stringValue", value: "codex.user_prompt" } },
 * });
 * flattenKeyValues([attribute]); // { "event.name": "codex.user_prompt" }
 * ```
 */
export function flattenKeyValues(keyValues: readonly KeyValue[]): FlatObject {
  const flat: FlatObject = {};
  for (const { key, value } of keyValues) {
    const flatValue = flattenAnyValue(value);
    if (key === "__proto__") {
      Object.defineProperty(flat, key, {
        value: flatValue,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      flat[key] = flatValue;
    }
  }
  return flat;
}

/**
 * An int64 or uint64 as a number when it is a safe integer, else as its decimal string.
 *
 * @example
 * ```ts
 * import { flattenInt64 } from "./flatten_any_value.ts";
 * flattenInt64(7n); // 7
 * flattenInt64(2n ** 60n); // "1152921504606846976"
 * ```
 */
export function flattenInt64(value: bigint): number | string {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
}

/**
 * A double as a number, or as `"NaN"`, `"Infinity"`, `"-Infinity"` (which JSON cannot hold,
 * and which proto3 JSON spells this way).
 *
 * @example
 * ```ts
 * import { flattenDouble } from "./flatten_any_value.ts";
 * flattenDouble(0.5); // 0.5
 * flattenDouble(Infinity); // "Infinity"
 * ```
 */
export function flattenDouble(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
