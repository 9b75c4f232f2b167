import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { hashContent } from "./hash_content.ts";

Deno.test("hashContent is SHA-256 of the UTF-8 bytes, in lowercase hex", () => {
  assert.equal(hashContent(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    hashContent("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(hashContent("é"), hashContent("\u00e9"));
  assert.notEqual(hashContent("é"), hashContent("e\u0301"), "no Unicode normalisation");
});

Deno.test("property: hashContent equals a fresh SHA-256, call after call", () => {
  const unit = fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  );
  fc.assert(
    fc.property(fc.array(fc.string({ unit, maxLength: 200 }), { maxLength: 4 }), (texts) => {
      for (const text of texts) {
        const fresh = createHash("sha256").update(text, "utf8").digest("hex");
        assert.equal(hashContent(text), fresh);
        assert.equal(hashContent(text), fresh);
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: hashContent equals node:crypto's around the block boundaries and past the reused buffer", () => {
  const oracle = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
  // ASCII padding to land the UTF-8 length on 55/56/64/119/120/128 bytes around some unicode.
  const unicode = fc.string({ unit: "binary", maxLength: 6 });
  const boundary = fc.constantFrom(54, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129);
  fc.assert(
    fc.property(unicode, boundary, (text, bytes) => {
      const padding = Math.max(0, bytes - new TextEncoder().encode(text).length);
      const padded = "x".repeat(padding) + text;
      assert.equal(hashContent(padded), oracle(padded));
    }),
    { numRuns: 400 },
  );
  // The reused buffer starts at 1 KiB and grows; past 64 KiB a text gets its own buffer.
  const sizes = fc.constantFrom(341, 342, 343, 400, 5_000, 21_845, 21_846, 30_000);
  fc.assert(
    fc.property(
      sizes,
      fc.string({ unit: "binary", maxLength: 3 }),
      fc.boolean(),
      (size, tail, wide) => {
        const text = (wide ? "é" : "a").repeat(size) + tail;
        assert.equal(hashContent(text), oracle(text));
        assert.equal(hashContent("abc"), oracle("abc"), "a short text after a long one");
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("hashContent hashes a lone surrogate as U+FFFD, a pair as its code point", () => {
  assert.equal(hashContent("a\ud800b"), hashContent("a\ufffdb"));
  assert.equal(hashContent("\udc00"), hashContent("\ufffd"));
  assert.equal(
    hashContent("\ud83d\ude42"),
    createHash("sha256").update(new Uint8Array([0xf0, 0x9f, 0x99, 0x82])).digest("hex"),
  );
});
