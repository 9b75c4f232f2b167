import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { sha256 } from "./sha256.ts";
import { sha256Words } from "./sha256_words.ts";

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const oracle = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test("sha256 gives the FIPS 180-4 example digests", () => {
  const vectors: Array<[Uint8Array, string]> = [
    [utf8(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    [utf8("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
    [
      utf8(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      ),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
    ],
    [
      new Uint8Array(1_000_000).fill(0x61),
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    ],
  ];
  for (const [bytes, digest] of vectors) assert.equal(hex(sha256(bytes)), digest);
});

Deno.test("sha256 pads every tail length: 0 to 200 bytes, and the 64-byte boundaries", () => {
  const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 151 + 7) & 0xff);
  for (let length = 0; length <= 200; length++) {
    const input = bytes.subarray(0, length);
    assert.equal(hex(sha256(input)), oracle(input), `${length} bytes`);
  }
});

Deno.test("property: sha256 equals node:crypto's, for any bytes at any offset", () => {
  const lengthNearABoundary = fc.oneof(
    fc.constantFrom(55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129),
    fc.integer({ min: 0, max: 300 }),
    fc.integer({ min: 300, max: 70_000 }),
  );
  fc.assert(
    fc.property(
      lengthNearABoundary.chain((length) =>
        fc.tuple(fc.uint8Array({ minLength: length, maxLength: length }), fc.nat(7))
      ),
      ([bytes, offset]) => {
        // A view that does not start at its buffer's first byte reads from its own offset.
        const shifted = new Uint8Array(bytes.length + offset);
        shifted.set(bytes, offset);
        const view = shifted.subarray(offset);
        assert.equal(hex(sha256(view)), oracle(bytes));
        assert.equal(hex(sha256(bytes)), oracle(bytes), "again, the same array");
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("sha256Words hashes only the first `length` bytes of a longer buffer", () => {
  const buffer = utf8("abc and what follows in the buffer");
  const words = Array.from(
    sha256Words(buffer, 3),
    (word) => (word >>> 0).toString(16).padStart(8, "0"),
  );
  assert.equal(words.join(""), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
