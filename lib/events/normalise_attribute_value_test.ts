import assert from "node:assert/strict";
import fc from "fast-check";
import {
  normaliseBoolean,
  normaliseCount,
  normaliseNumber,
  normaliseString,
  toSnakeCase,
} from "./normalise_attribute_value.ts";

Deno.test("normaliseNumber: numbers and decimal strings", () => {
  assert.equal(normaliseNumber("1230"), 1230);
  assert.equal(normaliseNumber(" 37 "), 37);
  assert.equal(normaliseNumber("-1.5e3"), -1500);
  assert.equal(normaliseNumber(615), 615);
  for (const value of ["", "n/a", "0x10", "1,000", "Infinity", "NaN", true, null, [1], undefined]) {
    assert.equal(normaliseNumber(value as never), undefined, String(value));
  }
  assert.equal(normaliseNumber(Number.NaN), undefined);
});

Deno.test("normaliseCount: non-negative safe integers only", () => {
  assert.equal(normaliseCount("76"), 76);
  assert.equal(normaliseCount(0), 0);
  for (const value of [-1, "1.5", 2 ** 53, "x", null]) {
    assert.equal(normaliseCount(value), undefined, String(value));
  }
});

Deno.test("normaliseBoolean: booleans and true/false strings", () => {
  assert.equal(normaliseBoolean("true"), true);
  assert.equal(normaliseBoolean(" FALSE "), false);
  assert.equal(normaliseBoolean(false), false);
  for (const value of ["yes", "1", 1, null, "", undefined]) {
    assert.equal(normaliseBoolean(value as never), undefined, String(value));
  }
});

Deno.test("normaliseString: strings, numbers and booleans; empty only when allowed", () => {
  assert.equal(normaliseString("x"), "x");
  assert.equal(normaliseString(7), "7");
  assert.equal(normaliseString(true), "true");
  assert.equal(normaliseString(""), undefined);
  assert.equal(normaliseString("", { allowEmpty: true }), "");
  assert.equal(normaliseString(null), undefined);
  assert.equal(normaliseString(["a"]), undefined);
  assert.equal(normaliseString({ a: "b" }), undefined);
});

Deno.test("toSnakeCase: Codex's CamelCase enums", () => {
  assert.equal(toSnakeCase("AutomatedReviewer"), "automated_reviewer");
  assert.equal(toSnakeCase("Config"), "config");
  assert.equal(toSnakeCase("ApprovedForSession"), "approved_for_session");
  assert.equal(toSnakeCase("already_snake"), "already_snake");
  assert.equal(toSnakeCase("on-request"), "on-request");
  assert.equal(toSnakeCase("MCPServer"), "mcp_server");
});

Deno.test("property: normaliseNumber and normaliseCount agree with the decimal grammar", () => {
  const decimal = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
  const reference = (text: string) => {
    if (!decimal.test(text.trim())) return undefined;
    const number = Number(text.trim());
    return Number.isFinite(number) ? number : undefined;
  };
  const text = fc.oneof(
    fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 20 }),
    fc.string({ unit: fc.constantFrom(..."0123456789 +-.eE٣x"), maxLength: 8 }),
    fc.bigInt({ min: 0n, max: 10n ** 17n }).map(String),
  );
  fc.assert(
    fc.property(text, (value) => {
      const expected = reference(value);
      assert.equal(normaliseNumber(value), expected, JSON.stringify(value));
      assert.equal(
        normaliseCount(value),
        expected !== undefined && Number.isSafeInteger(expected) && expected >= 0
          ? expected
          : undefined,
      );
    }),
    { numRuns: 3000 },
  );
});

Deno.test("property: toSnakeCase's shortcut for names without inner capitals changes nothing", () => {
  const reference = (name: string) =>
    name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
      .toLowerCase();
  const name = fc.string({ unit: fc.constantFrom(..."aAbBzZ09_-. ÉéİK"), maxLength: 10 });
  fc.assert(
    fc.property(fc.oneof(name, fc.string()), (value) => {
      assert.equal(toSnakeCase(value), reference(value), value);
    }),
    { numRuns: 3000 },
  );
});

Deno.test("normaliseString: the options object is optional", () => {
  assert.equal(normaliseString("", {}), undefined);
  assert.equal(normaliseString("", { allowEmpty: false }), undefined);
  assert.equal(normaliseString(0, { allowEmpty: true }), "0");
  assert.equal(normaliseString(undefined, { allowEmpty: true }), undefined);
});
