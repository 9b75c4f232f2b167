import assert from "node:assert/strict";
import { omitUndefined } from "./omit_undefined.ts";

Deno.test("omitUndefined: drops undefined, keeps null, false, 0 and empty strings", () => {
  const out = omitUndefined({ a: undefined, b: null, c: false, d: 0, e: "" });
  assert.deepEqual(out, { b: null, c: false, d: 0, e: "" });
  assert.equal("a" in out, false);
});
