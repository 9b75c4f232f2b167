/**
 * CRC-32 (ISO-HDLC, the one gzip trailers carry) over several chunks.
 *
 * @module
 */

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table !== undefined) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * The CRC-32 of the chunks taken in order, as an unsigned 32-bit number.
 *
 * @example
 * ```ts
 * import { crc32 } from "./crc32.ts";
 * crc32([new TextEncoder().encode("123456789")]);
 * // 0xcbf43926
 * ```
 */
export function crc32(chunks: readonly Uint8Array[]): number {
  const t = crcTable();
  let c = 0xffffffff;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.byteLength; i++) c = t[(c ^ chunk[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
