/**
 * The number of bytes `text` takes in UTF-8, counted without allocating an encoded copy. A lone
 * surrogate counts as 3 bytes, because `TextEncoder` writes it as U+FFFD.
 *
 * @example
 * ```ts
 * utf8ByteLength("héllo"); // 6
 * utf8ByteLength("🙂"); // 4
 * ```
 */
export function utf8ByteLength(text: string): number {
  // ASCII (most text) takes a byte a character; the regular expression finds out a few times
  // faster than the loop below.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const NON_ASCII = /[\u0080-\uffff]/;

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
