/**
 * Whether two byte arrays of the same length are equal, in a time that depends only on their
 * length: every byte is compared, with no early exit, so timing tells nothing of where they
 * differ. Like node:crypto's `timingSafeEqual`, arrays of different lengths are an error (a
 * caller compares digests, whose length is fixed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { constantTimeEqual } from "./constant_time_equal.ts";
 *
 * assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])), true);
 * assert.equal(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])), false);
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    throw new RangeError(
      `Cannot compare in constant time: the arrays differ in length (${a.length} and ${b.length} bytes)`,
    );
  }
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}
