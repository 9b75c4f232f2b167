import assert from "node:assert/strict";
import fc from "fast-check";
import { isWellFormedUtf8 } from "./is_well_formed_utf8.ts";

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function decoderAccepts(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

Deno.test("isWellFormedUtf8 accepts text and refuses each kind of malformed sequence", () => {
  const valid = ["", "ascii", "héllo", "€", "\u{10ffff}", "\u{1f600}", "\ufffd", "\ufeffBOM"];
  for (const text of valid) assert.ok(isWellFormedUtf8(new TextEncoder().encode(text)), text);
  const invalid = [
    [0x80], // lone continuation
    [0xc0, 0x80], // overlong NUL
    [0xc1, 0xbf], // overlong
    [0xe0, 0x9f, 0xbf], // overlong 3-byte
    [0xed, 0xa0, 0x80], // surrogate
    [0xf0, 0x8f, 0xbf, 0xbf], // overlong 4-byte
    [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
    [0xf5, 0x80, 0x80, 0x80],
    [0xff],
    [0xe2, 0x82], // truncated
    [0x61, 0xc3], // truncated at the end
    [0xe2, 0x28, 0xa1], // bad continuation
  ];
  for (const bytes of invalid) assert.ok(!isWellFormedUtf8(Uint8Array.from(bytes)), `${bytes}`);
});

Deno.test("isWellFormedUtf8 agrees with a fatal TextDecoder on arbitrary bytes", () => {
  const nearUtf8 = fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0x9f, 0xa0, 0x8f, 0x90),
    ),
    { maxLength: 12 },
  ).map((bytes) => Uint8Array.from(bytes));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 16 }), nearUtf8), (bytes) => {
      assert.equal(isWellFormedUtf8(bytes), decoderAccepts(bytes));
    }),
    { numRuns: 20_000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      assert.equal(isWellFormedUtf8(new TextEncoder().encode(text)), true);
    }),
  );
});
