import assert from "node:assert/strict";
import { parseTomlJson, stringifyTomlJson } from "./toml_json.ts";

Deno.test("bigints survive a JSON round trip; everything else is plain JSON", () => {
  const value = { big: 12345678901234567890n, small: 3, list: [1n, "x"], nested: { n: null } };
  const text = stringifyTomlJson(value);
  assert.equal(
    text,
    '{"big":{"$bigint":"12345678901234567890"},"small":3,"list":[{"$bigint":"1"},"x"],"nested":{"n":null}}',
  );
  assert.deepEqual(parseTomlJson(text), value);
});

Deno.test("the same text as JSON.stringify, indented or not, for what plans and state hold", () => {
  const value = {
    formatVersion: 1,
    createdAt: new Date("2026-11-25T12:00:00Z"),
    empty: {},
    none: [],
    skipped: undefined,
    list: [1, "two", null, undefined, true, { deep: [[]] }],
    text: 'quote " and \\ and \n and \u2028',
    numbers: [0, -1.5, 1e21, Number.NaN],
  };
  for (const space of [undefined, 2]) {
    assert.equal(stringifyTomlJson(value, space), JSON.stringify(value, null, space));
  }
});
