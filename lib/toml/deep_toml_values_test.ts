/**
 * Everything that walks a TOML value copes with any depth (the limits keep configs shallow, but
 * values also come from saved plans and the state file): no function recurses per level.
 */
import assert from "node:assert/strict";
import type { TomlValue } from "./toml_value.ts";
import { tomlValuesEqual } from "./toml_values_equal.ts";
import { formatTomlValue } from "./format_toml_value.ts";
import { parseTomlJson, stringifyTomlJson } from "./toml_json.ts";
import { maskSecretValues } from "../reconcile/mask_secret_values.ts";

const LEVELS = 100_000;

function deep(leaf: TomlValue, levels = LEVELS): TomlValue {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

/** Follows `levels` levels down to the leaf. */
function leafOf(value: unknown, levels = LEVELS): unknown {
  let current = value;
  for (let i = levels - 1; i >= 0; i--) {
    current = i % 2 ? (current as { a: unknown }).a : (current as unknown[])[0];
  }
  return current;
}

Deno.test("tomlValuesEqual compares values 100,000 levels deep", () => {
  assert.equal(tomlValuesEqual(deep(1), deep(1n)), true);
  assert.equal(tomlValuesEqual(deep(1), deep(2)), false);
  assert.equal(tomlValuesEqual(deep(1), deep(1, LEVELS - 1)), false);
});

Deno.test("formatTomlValue writes a value 100,000 levels deep", () => {
  const text = formatTomlValue(deep("x", 4));
  assert.equal(text, '{ a = [{ a = ["x"] }] }');
  const half = LEVELS / 2;
  assert.equal(formatTomlValue(deep("x")), "{ a = [".repeat(half) + '"x"' + "] }".repeat(half));
});

Deno.test("stringifyTomlJson and parseTomlJson round-trip 100,000 levels with a bigint leaf", () => {
  const value = deep(12345678901234567890n);
  const back = parseTomlJson(stringifyTomlJson(value));
  assert.equal(leafOf(back), 12345678901234567890n);
});

Deno.test("maskSecretValues masks a token 100,000 levels deep", () => {
  const masked = maskSecretValues(deep({ token: "Bearer abc" }));
  assert.deepEqual(leafOf(masked), { token: "Bearer ****" });
});
