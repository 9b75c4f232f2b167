/**
 * Lowercase hex of `bytes`, two digits a byte; `""` for none: how OTLP writes trace and span
 * ids, and how Beacon shows a file's first bytes.
 *
 * One lookup a byte in a 256-entry table of two-digit strings: ids are 8 or 16 bytes, so the
 * strings stay short and this is faster than formatting each byte.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bytesToHex } from "./bytes_to_hex.ts";
 *
 * assert.equal(bytesToHex(new Uint8Array([0x00, 0xf0, 0x67, 0xaa])), "00f067aa");
 * assert.equal(bytesToHex(new Uint8Array(0)), "");
 * ```
 */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = "";
  for (let i = 0; i < bytes.length; i++) hex += HEX_BYTES[bytes[i]];
  return hex;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
