/**
 * Lowercase hex of 32-bit words, each written big-endian (8 digits a word): how a SHA-256
 * digest from {@link sha256Words} is usually shown.
 *
 * One `String.fromCharCode` over a reused array of character codes, looked up two digits at a
 * time: faster in Deno 2.9 than joining per-byte strings or decoding a byte buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wordsToHex } from "./words_to_hex.ts";
 *
 * assert.equal(wordsToHex(new Int32Array([0xba7816bf, 0x0f])), "ba7816bf0000000f");
 * ```
 */
export function wordsToHex(words: Int32Array): string {
  const codes = words.length === 8 ? DIGEST_CODES : new Array<number>(words.length * 8);
  for (let i = 0, at = 0; i < words.length; i++, at += 8) {
    const word = words[i];
    writeByte(codes, at, word >>> 24);
    writeByte(codes, at + 2, (word >>> 16) & 0xff);
    writeByte(codes, at + 4, (word >>> 8) & 0xff);
    writeByte(codes, at + 6, word & 0xff);
  }
  return String.fromCharCode.apply(null, codes);
}

function writeByte(codes: number[], at: number, byte: number): void {
  codes[at] = HIGH_DIGIT[byte];
  codes[at + 1] = LOW_DIGIT[byte];
}

const DIGITS = "0123456789abcdef";
/** The character code of each byte's first and second hex digit. */
const HIGH_DIGIT = Uint8Array.from({ length: 256 }, (_, byte) => DIGITS.charCodeAt(byte >>> 4));
const LOW_DIGIT = Uint8Array.from({ length: 256 }, (_, byte) => DIGITS.charCodeAt(byte & 15));
/** Reused for the common case, a SHA-256 digest (8 words, 64 digits). */
const DIGEST_CODES = new Array<number>(64).fill(0);
