import assert from "node:assert/strict";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  flattenAnyValue,
  flattenDouble,
  flattenInt64,
  flattenKeyValues,
} from "./flatten_any_value.ts";
import { AnyValueSchema, KeyValueSchema } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";

const any = (value: MessageInitShape<typeof AnyValueSchema>["value"]) =>
  create(AnyValueSchema, { value });
const kv = (key: string, value: MessageInitShape<typeof AnyValueSchema>["value"]) =>
  create(KeyValueSchema, { key, value: { value } });

Deno.test("flattenAnyValue keeps strings and booleans", () => {
  assert.equal(flattenAnyValue(any({ case: "stringValue", value: "x" })), "x");
  assert.equal(flattenAnyValue(any({ case: "boolValue", value: false })), false);
});

Deno.test("flattenAnyValue gives int64 as a number when safe, else a decimal string", () => {
  assert.equal(flattenAnyValue(any({ case: "intValue", value: 42n })), 42);
  assert.equal(
    flattenAnyValue(any({ case: "intValue", value: -(2n ** 53n) + 1n })),
    -(2 ** 53) + 1,
  );
  assert.equal(flattenAnyValue(any({ case: "intValue", value: 2n ** 53n })), "9007199254740992");
  assert.equal(
    flattenAnyValue(any({ case: "intValue", value: -(2n ** 63n) })),
    "-9223372036854775808",
  );
});

Deno.test("flattenAnyValue spells non-finite doubles as strings JSON can hold", () => {
  assert.equal(flattenAnyValue(any({ case: "doubleValue", value: 1.5 })), 1.5);
  assert.equal(flattenAnyValue(any({ case: "doubleValue", value: NaN })), "NaN");
  assert.equal(flattenAnyValue(any({ case: "doubleValue", value: -Infinity })), "-Infinity");
  assert.equal(flattenDouble(Infinity), "Infinity");
  assert.equal(flattenInt64(0n), 0);
});

Deno.test("flattenAnyValue gives bytes as base64", () => {
  assert.equal(flattenAnyValue(any({ case: "bytesValue", value: Uint8Array.of(1, 2, 3) })), "AQID");
});

Deno.test("flattenAnyValue turns arrays into arrays and kvlists into objects", () => {
  const value = any({
    case: "kvlistValue",
    value: {
      values: [
        kv("list", {
          case: "arrayValue",
          value: { values: [{ value: { case: "intValue", value: 1n } }, {}] },
        }),
        kv("nested", {
          case: "kvlistValue",
          value: { values: [kv("deep", { case: "boolValue", value: true })] },
        }),
      ],
    },
  });
  assert.deepEqual(flattenAnyValue(value), {
    list: [1, null],
    nested: { deep: true },
  });
});

Deno.test("flattenAnyValue gives null for an empty or absent value", () => {
  assert.equal(flattenAnyValue(undefined), null);
  assert.equal(flattenAnyValue(create(AnyValueSchema)), null);
  assert.equal(flattenAnyValue(any({ case: "stringValueStrindex", value: 3 })), null);
});

Deno.test("flattenKeyValues lets the last duplicate win and keeps __proto__ as data", () => {
  const flat = flattenKeyValues([
    kv("a", { case: "stringValue", value: "first" }),
    kv("a", { case: "stringValue", value: "second" }),
    kv("__proto__", { case: "stringValue", value: "polluted?" }),
    create(KeyValueSchema, { key: "no value" }),
  ]);
  assert.equal(flat.a, "second");
  assert.equal(Object.getPrototypeOf(flat), Object.prototype);
  assert.ok(Object.hasOwn(flat, "__proto__"));
  assert.equal(
    JSON.stringify(flat),
    '{"a":"second","__proto__":"polluted?","no value":null}',
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
