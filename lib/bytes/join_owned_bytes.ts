import { concatBytes } from "./concat_bytes.ts";

/**
 * The bytes of `chunks` one after another, for chunks the caller owns (copies nothing else
 * holds or changes): a lone chunk comes back as it is, several are joined by
 * {@link concatBytes} (with the same check of `totalLength`). Saves the copy of the common case,
 * a body or a line that arrived in one piece.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinOwnedBytes } from "./join_owned_bytes.ts";
 *
 * const lone = new Uint8Array([1, 2]);
 * assert.equal(joinOwnedBytes([lone]), lone);
 * assert.deepEqual(joinOwnedBytes([lone, new Uint8Array([3])], 3), new Uint8Array([1, 2, 3]));
 * ```
 */
export function joinOwnedBytes(chunks: readonly Uint8Array[], totalLength?: number): Uint8Array {
  if (chunks.length === 1 && (totalLength === undefined || totalLength === chunks[0].length)) {
    return chunks[0];
  }
  return concatBytes(chunks, totalLength);
}
