/**
 * Whether `bytes` (or `bytes[start..end)`) are well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF, no truncated sequence).
 *
 * The same answer as `new TextDecoder("utf-8", { fatal: true })` succeeding, without an
 * exception per invalid string (about 10 µs each in Deno) or a call into the runtime per
 * string: this runs over every string of a body that failed to decode.
 *
 * @example
 * ```ts
 * import { isWellFormedUtf8 } from "./is_well_formed_utf8.ts";
 * isWellFormedUtf8(new TextEncoder().encode("héllo")); // true
 * isWellFormedUtf8(Uint8Array.of(0xed, 0xa0, 0x80)); // false: an encoded surrogate
 * ```
 */
export function isWellFormedUtf8(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.byteLength,
): boolean {
  let i = start;
  while (i < end) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let continuation: number;
    // The allowed range of the second byte; later ones are always 0x80..0xbf.
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      continuation = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      continuation = 2;
      if (lead === 0xe0) low = 0xa0; // overlong
      else if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      continuation = 3;
      if (lead === 0xf0) low = 0x90; // overlong
      else if (lead === 0xf4) high = 0x8f; // above U+10FFFF
    } else {
      return false;
    }
    if (i + continuation >= end) return false;
    const second = bytes[i + 1];
    if (second < low || second > high) return false;
    for (let k = 2; k <= continuation; k++) {
      const next = bytes[i + k];
      if (next < 0x80 || next > 0xbf) return false;
    }
    i += continuation + 1;
  }
  return true;
}
