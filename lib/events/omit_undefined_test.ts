import assert from "node:assert/strict";
import fc from "fast-check";
import { omitUndefined } from "./omit_undefined.ts";

Deno.test("omitUndefined: drops undefined, keeps null, false, 0 and empty strings", () => {
  const out = omitUndefined({ a: undefined, b: null, c: false, d: 0, e: "" });
  assert.deepEqual(out, { b: null, c: false, d: 0, e: "" });
  assert.equal("a" in out, false);
});

Deno.test("property: omitUndefined keeps what Object.entries gives, in the same order", () => {
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.nat(20).map(String), fc.constant("a"));
  const item = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.string());
  fc.assert(
    fc.property(fc.array(fc.tuple(key, item)), fc.array(fc.tuple(key, item)), (own, inherited) => {
      const value = Object.create(Object.fromEntries(inherited));
      for (const [name, entry] of own) value[name] = entry;
      Object.defineProperty(value, "hidden", { value: 1, enumerable: false });
      const expected = Object.fromEntries(
        Object.entries(value).filter(([, entry]) => entry !== undefined),
      );
      const out = omitUndefined(value);
      assert.deepEqual(out, expected);
      assert.deepEqual(Object.keys(out), Object.keys(expected));
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
    }),
  );
});
