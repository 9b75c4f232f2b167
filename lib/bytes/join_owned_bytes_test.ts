import assert from "node:assert/strict";
import { joinOwnedBytes } from "./join_owned_bytes.ts";

Deno.test("joinOwnedBytes hands a lone chunk on as it is", () => {
  const lone = new Uint8Array([7, 8, 9]);
  assert.equal(joinOwnedBytes([lone]), lone);
  assert.equal(joinOwnedBytes([lone], 3), lone);
});

Deno.test("joinOwnedBytes joins several chunks into new bytes, and checks the count", () => {
  const first = new Uint8Array([1, 2]);
  const joined = joinOwnedBytes([first, new Uint8Array([3])], 3);
  assert.deepEqual(joined, new Uint8Array([1, 2, 3]));
  assert.notEqual(joined.buffer, first.buffer);
  assert.deepEqual(joinOwnedBytes([]), new Uint8Array(0));
  assert.throws(() => joinOwnedBytes([first, first], 5), RangeError);
  assert.throws(() => joinOwnedBytes([first], 5), RangeError);
});
