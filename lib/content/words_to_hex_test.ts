import assert from "node:assert/strict";
import fc from "fast-check";
import { wordsToHex } from "./words_to_hex.ts";

Deno.test("wordsToHex writes each word as 8 lowercase digits, most significant first", () => {
  assert.equal(wordsToHex(new Int32Array([])), "");
  assert.equal(wordsToHex(new Int32Array([0, -1, 0x0a0b0c0d])), "00000000ffffffff0a0b0c0d");
});

Deno.test("property: wordsToHex equals the words' unsigned base-16, padded", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { maxLength: 12 }),
      (words) => {
        const expected = words.map((word) => (word >>> 0).toString(16).padStart(8, "0")).join("");
        assert.equal(wordsToHex(Int32Array.from(words)), expected);
      },
    ),
  );
});
