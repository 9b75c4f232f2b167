/**
 * Bytes as Latin-1 text, for HTTP heads (octets, of which only ASCII is meaningful).
 *
 * @module
 */

/**
 * `bytes[start..end)` as a string of one character per byte.
 *
 * @example
 * ```ts
 * import { latin1 } from "./latin1.ts";
 * latin1(new TextEncoder().encode("GET /"), 0, 3); // "GET"
 * ```
 */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let at = start; at < end; at += 8192) {
    text += String.fromCharCode.apply(
      null,
      bytes.subarray(at, Math.min(end, at + 8192)) as unknown as number[],
    );
  }
  return text;
}
