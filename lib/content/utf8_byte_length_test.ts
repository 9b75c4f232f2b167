import assert from "node:assert/strict";
import fc from "fast-check";
import { utf8ByteLength } from "./utf8_byte_length.ts";

Deno.test("utf8ByteLength counts 1 to 4 bytes per character", () => {
  assert.equal(utf8ByteLength(""), 0);
  assert.equal(utf8ByteLength("abc"), 3);
  assert.equal(utf8ByteLength("é"), 2);
  assert.equal(utf8ByteLength("€"), 3);
  assert.equal(utf8ByteLength("🙂"), 4);
  assert.equal(utf8ByteLength("\ud83d"), 3, "a lone surrogate is written as U+FFFD");
});

Deno.test("property: utf8ByteLength agrees with TextEncoder, lone surrogates included", () => {
  const unit = fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  );
  fc.assert(
    fc.property(fc.string({ unit }), (text) => {
      return utf8ByteLength(text) === new TextEncoder().encode(text).length;
    }),
  );
});
