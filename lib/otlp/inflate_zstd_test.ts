import assert from "node:assert/strict";
import { zstdCompressSync } from "node:zlib";
import { inflateZstd } from "./inflate_zstd.ts";

/** 300,000 bytes that do not repeat in any short period: several 64 KiB output chunks. */
const original = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919 + (i >>> 8)) & 0xff);

Deno.test("inflateZstd joins many output chunks into one plain Uint8Array of its own", async () => {
  const result = await inflateZstd(zstdCompressSync(original), 1 << 20);
  assert.ok(result.ok);
  assert.equal(result.bytes.byteLength, original.byteLength);
  assert.ok(result.bytes.every((byte, i) => byte === original[i]), "the bytes, in order");
  // Not a Buffer, and not a view into a pooled buffer: decoded bytes fields view it.
  assert.equal(Object.getPrototypeOf(result.bytes), Uint8Array.prototype);
  assert.equal(result.bytes.byteOffset, 0);
  assert.equal(result.bytes.buffer.byteLength, original.byteLength);
});

Deno.test("inflateZstd stops within one 64 KiB chunk past the limit", async () => {
  const result = await inflateZstd(zstdCompressSync(original), 100_000);
  assert.ok(!result.ok && result.tooLarge);
  assert.ok(result.producedBytes > 100_000 && result.producedBytes <= 100_000 + 64 * 1024);
});
