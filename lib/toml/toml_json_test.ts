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
