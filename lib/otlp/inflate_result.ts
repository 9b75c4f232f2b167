/**
 * What an inflater returns: the bytes, or that it stopped past the limit, or why the compressed
 * data is unreadable (a zlib-style reason such as `unexpected end of file`).
 *
 * @module
 */

/** The inflated bytes (a plain Uint8Array, never a Buffer), or why there are none. */
export type InflateResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; tooLarge: true; producedBytes: number }
  | { ok: false; tooLarge: false; reason: string };
