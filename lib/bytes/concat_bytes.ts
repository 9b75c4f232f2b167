/**
 * The bytes of `chunks` one after another, in a new `Uint8Array` of its own `ArrayBuffer`.
 *
 * The result is always a fresh plain `Uint8Array` (never one of the chunks, never a Node
 * `Buffer`, never a view into a larger or shared buffer), even for no chunk or one: callers
 * such as the inflaters hand it on as bytes that nothing else holds or changes. A caller that
 * may keep a lone chunk as it is calls `joinOwnedBytes` instead.
 *
 * `totalLength`, when the caller already counted the bytes, saves adding the lengths up again
 * and is checked: a count that differs from the chunks' is a bug in the caller, so this throws a
 * RangeError naming both numbers rather than return bytes cut short or padded with zeros.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concatBytes } from "./concat_bytes.ts";
 *
 * const bytes = concatBytes([new Uint8Array([1, 2]), new Uint8Array([3])]);
 * assert.deepEqual(bytes, new Uint8Array([1, 2, 3]));
 * assert.deepEqual(concatBytes([new Uint8Array([4])], 1), new Uint8Array([4]));
 * assert.throws(() => concatBytes([new Uint8Array([4])], 2), RangeError);
 * ```
 */
export function concatBytes(
  chunks: readonly Uint8Array[],
  totalLength?: number,
): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  if (totalLength !== undefined && totalLength !== length) {
    throw new RangeError(
      `Cannot concatenate bytes: totalLength is ${totalLength} but the ${chunks.length} ` +
        `chunks hold ${length} bytes; pass their exact sum, or leave totalLength out`,
    );
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
