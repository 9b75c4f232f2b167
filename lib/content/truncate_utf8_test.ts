import assert from "node:assert/strict";
import fc from "fast-check";
import { truncateUtf8 } from "./truncate_utf8.ts";
import { utf8ByteLength } from "./utf8_byte_length.ts";

Deno.test("truncateUtf8 keeps text that fits", () => {
  assert.deepEqual(truncateUtf8("hello", 5), { text: "hello", truncated: false });
  assert.deepEqual(truncateUtf8("", 0), { text: "", truncated: false });
  assert.deepEqual(truncateUtf8("🙂", 4), { text: "🙂", truncated: false });
});

Deno.test("truncateUtf8 never splits a multi-byte character or a surrogate pair", () => {
  assert.deepEqual(truncateUtf8("naïve", 3), { text: "na", truncated: true });
  assert.deepEqual(truncateUtf8("naïve", 4), { text: "naï", truncated: true });
  assert.deepEqual(truncateUtf8("a€b", 3), { text: "a", truncated: true });
  assert.deepEqual(truncateUtf8("a€b", 4), { text: "a€", truncated: true });
  for (const max of [1, 2, 3, 4]) {
    assert.deepEqual(truncateUtf8("a🙂", max), { text: "a", truncated: true }, `max ${max}`);
  }
  assert.deepEqual(truncateUtf8("a🙂", 5), { text: "a🙂", truncated: false });
});

Deno.test("truncateUtf8 treats a lone surrogate as the 3 bytes it is written as", () => {
  assert.deepEqual(truncateUtf8("a\udc00b", 3), { text: "a", truncated: true });
  assert.deepEqual(truncateUtf8("a\udc00b", 4), { text: "a\udc00", truncated: true });
});

Deno.test("truncateUtf8 with no room keeps nothing", () => {
  assert.deepEqual(truncateUtf8("abc", 0), { text: "", truncated: true });
  assert.deepEqual(truncateUtf8("abc", -5), { text: "", truncated: true });
});

Deno.test("property: truncateUtf8 keeps the longest whole-character prefix that fits", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.nat(64), (text, max) => {
      const result = truncateUtf8(text, max);
      const kept = result.text;
      const bytes = utf8ByteLength(kept);
      const rest = [...text.slice(kept.length)];
      return text.startsWith(kept) &&
        bytes <= max &&
        result.truncated === (kept.length < text.length) &&
        // Well-formed in, well-formed out: the prefix survives a UTF-8 round trip.
        new TextDecoder().decode(new TextEncoder().encode(kept)) === kept &&
        // The next whole character would not have fitted.
        (rest.length === 0 || bytes + utf8ByteLength(rest[0]) > max);
    }),
  );
});
