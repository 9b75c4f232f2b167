import { sha256Words } from "./sha256_words.ts";
import { wordsToHex } from "./words_to_hex.ts";

/**
 * SHA-256 of bytes, as lowercase hex (text goes through `hashContent`).
 *
 * @example
 * ```ts
 * sha256Hex(new TextEncoder().encode("abc")); // "ba7816bf...f20015ad"
 * ```
 */
export function sha256Hex(bytes: Uint8Array): string {
  return wordsToHex(sha256Words(bytes, bytes.length));
}
