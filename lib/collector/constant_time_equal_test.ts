import assert from "node:assert/strict";
import { timingSafeEqual } from "node:crypto";
import fc from "fast-check";
import { constantTimeEqual } from "./constant_time_equal.ts";

Deno.test("property: constantTimeEqual agrees with node:crypto's timingSafeEqual", () => {
  const pairs = fc.uint8Array({ maxLength: 40 }).chain((a) =>
    fc.oneof(
      fc.constant([a, Uint8Array.from(a)] as const),
      fc.uint8Array({ minLength: a.length, maxLength: a.length }).map((b) => [a, b] as const),
      // One byte changed, anywhere (the last byte too).
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, flip]) => {
        const b = Uint8Array.from(a);
        if (b.length) b[at % b.length] ^= flip;
        return [a, b] as const;
      }),
    )
  );
  fc.assert(
    fc.property(pairs, ([a, b]) => assert.equal(constantTimeEqual(a, b), timingSafeEqual(a, b))),
    { numRuns: 500 },
  );
});

Deno.test("constantTimeEqual refuses arrays of different lengths, as timingSafeEqual does", () => {
  assert.throws(
    () => constantTimeEqual(new Uint8Array(32), new Uint8Array(31)),
    /^RangeError: Cannot compare in constant time: the arrays differ in length \(32 and 31 bytes\)$/,
  );
});
