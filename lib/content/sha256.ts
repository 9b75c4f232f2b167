import { sha256Words } from "./sha256_words.ts";

/**
 * SHA-256 of `bytes`: a new 32-byte array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256 } from "./sha256.ts";
 *
 * assert.equal(sha256(new TextEncoder().encode("abc"))[0], 0xba);
 * ```
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  const words = sha256Words(bytes, bytes.length);
  const digest = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const word = words[i];
    digest[i * 4] = word >>> 24;
    digest[i * 4 + 1] = word >>> 16;
    digest[i * 4 + 2] = word >>> 8;
    digest[i * 4 + 3] = word;
  }
  return digest;
}
