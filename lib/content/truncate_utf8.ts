/**
 * The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, cut between code points so
 * that a multi-byte character or a surrogate pair is never split. `truncated` says whether
 * anything was cut off. Nothing (no ellipsis) is appended: the caller records the flag.
 *
 * Only the kept prefix is scanned, so cutting a long value costs `maxBytes`, not its length.
 *
 * @example
 * ```ts
 * truncateUtf8("naïve", 3); // { text: "na", truncated: true } ("ï" needs 2 bytes)
 * truncateUtf8("ok", 10); // { text: "ok", truncated: false }
 * ```
 */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const limit = Math.max(0, Math.floor(maxBytes));
  // Every UTF-16 code unit takes at most 3 bytes (a pair of them takes 4).
  if (text.length * 3 <= limit) return { text, truncated: false };
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const unit = text.charCodeAt(i);
    let width = 1;
    let size: number;
    if (unit < 0x80) size = 1;
    else if (unit < 0x800) size = 2;
    else if (
      unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length &&
      text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff
    ) {
      size = 4;
      width = 2;
    } else size = 3;
    if (bytes + size > limit) return { text: text.slice(0, i), truncated: true };
    bytes += size;
    i += width;
  }
  return { text, truncated: false };
}
