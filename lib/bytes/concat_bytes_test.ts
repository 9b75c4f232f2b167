import assert from "node:assert/strict";
import fc from "fast-check";
import { concatBytes } from "./concat_bytes.ts";

/** A plain Uint8Array that is the whole of its own ArrayBuffer. */
function assertOwnsItsBytes(bytes: Uint8Array): void {
  assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype);
  assert.ok(bytes.buffer instanceof ArrayBuffer);
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.buffer.byteLength, bytes.byteLength);
}

Deno.test("concatBytes of no chunks is a fresh empty Uint8Array", () => {
  const bytes = concatBytes([]);
  assert.deepEqual(bytes, new Uint8Array(0));
  assertOwnsItsBytes(bytes);
  assert.deepEqual(concatBytes([], 0), new Uint8Array(0));
  assert.notEqual(concatBytes([]), concatBytes([]));
});

Deno.test("concatBytes copies a lone chunk rather than returning it", () => {
  const chunk = new Uint8Array([1, 2, 3]);
  const bytes = concatBytes([chunk], 3);
  assert.notEqual(bytes, chunk);
  assert.notEqual(bytes.buffer, chunk.buffer);
  chunk[0] = 9;
  assert.deepEqual(bytes, new Uint8Array([1, 2, 3]));
  assertOwnsItsBytes(bytes);
});

Deno.test("concatBytes turns a lone Buffer or shared-memory view into a plain Uint8Array", async () => {
  const { Buffer } = await import("node:buffer");
  const fromBuffer = concatBytes([Buffer.from([7, 8])]);
  assert.deepEqual(fromBuffer, new Uint8Array([7, 8]));
  assertOwnsItsBytes(fromBuffer);
  const shared = new Uint8Array(new SharedArrayBuffer(4)).fill(5);
  const fromShared = concatBytes([shared.subarray(1, 3)]);
  assert.deepEqual(fromShared, new Uint8Array([5, 5]));
  assertOwnsItsBytes(fromShared);
});

Deno.test("concatBytes copies only the viewed bytes of subarray chunks", () => {
  const backing = Uint8Array.from({ length: 16 }, (_, i) => i);
  const bytes = concatBytes([
    backing.subarray(3, 6),
    backing.subarray(10, 10),
    backing.subarray(14),
  ]);
  assert.deepEqual(bytes, new Uint8Array([3, 4, 5, 14, 15]));
  assertOwnsItsBytes(bytes);
});

Deno.test("concatBytes refuses a totalLength that is not the chunks' sum, naming both", () => {
  const chunks = [new Uint8Array(2), new Uint8Array(3)];
  for (const wrong of [4, 6, 0]) {
    assert.throws(
      () => concatBytes(chunks, wrong),
      (error: unknown) =>
        error instanceof RangeError &&
        error.message.includes(`totalLength is ${wrong}`) &&
        error.message.includes("hold 5 bytes"),
    );
  }
  assert.throws(() => concatBytes([], 1), /totalLength is 1 .* hold 0 bytes/);
});

Deno.test("concatBytes agrees with a naive concatenation, with or without totalLength", () => {
  const chunk = fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat(8), fc.nat(8)).map(
    ([bytes, before, after]) => {
      // A view into the middle of a larger buffer, as reads and decoders hand out.
      const backing = new Uint8Array(before + bytes.length + after).fill(0xee);
      backing.set(bytes, before);
      return backing.subarray(before, before + bytes.length);
    },
  );
  fc.assert(
    fc.property(fc.array(chunk, { maxLength: 8 }), fc.boolean(), (chunks, passLength) => {
      const naive = chunks.flatMap((c) => Array.from(c));
      const bytes = concatBytes(chunks, passLength ? naive.length : undefined);
      assert.deepEqual(Array.from(bytes), naive);
      assertOwnsItsBytes(bytes);
    }),
  );
});
