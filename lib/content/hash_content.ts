import { sha256Hex } from "./sha256_hex.ts";
import { sha256Words } from "./sha256_words.ts";
import { wordsToHex } from "./words_to_hex.ts";

/**
 * Lowercase hex SHA-256 of `text` encoded as UTF-8 (a lone surrogate is hashed as U+FFFD, as
 * `TextEncoder` would write it).
 *
 * On the collector's hot path (event ids, content hashes): the text is encoded into a buffer
 * reused from call to call, so a short text costs no allocation but the returned string.
 *
 * @example
 * ```ts
 * hashContent("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function hashContent(text: string): string {
  // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
  const worstCase = text.length * 3;
  if (worstCase > MAX_REUSED_BYTES) {
    return sha256Hex(ENCODER.encode(text));
  }
  if (worstCase > buffer.length) buffer = new Uint8Array(Math.max(worstCase, buffer.length * 2));
  const written = ENCODER.encodeInto(text, buffer).written;
  return wordsToHex(sha256Words(buffer, written));
}

const ENCODER = new TextEncoder();
/** Longer texts are encoded into a buffer of their own, so a rare large one is not kept. */
const MAX_REUSED_BYTES = 64 * 1024;
let buffer = new Uint8Array(1024);
