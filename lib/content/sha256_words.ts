/**
 * SHA-256 (FIPS 180-4) of `bytes[0, length)`, as the eight 32-bit words of the digest
 * (big-endian order: word 0 holds the digest's first four bytes).
 *
 * Written for many short inputs (event ids, content hashes: mostly under 200 bytes) on the
 * collector's hot path: nothing is allocated per call or per block. The message schedule, the
 * state and the padded tail live in buffers allocated once, so **the returned array is shared
 * and overwritten by the next call**: read it (or copy it) before hashing again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Words } from "./sha256_words.ts";
 *
 * const words = sha256Words(new TextEncoder().encode("abc"), 3);
 * assert.equal((words[0] >>> 0).toString(16), "ba7816bf");
 * ```
 */
export function sha256Words(bytes: Uint8Array, length: number): Int32Array {
  // Eight assignments rather than STATE.set(...): a builtin call is a measurable part of the
  // cost of a short input.
  STATE[0] = 0x6a09e667;
  STATE[1] = 0xbb67ae85 | 0;
  STATE[2] = 0x3c6ef372;
  STATE[3] = 0xa54ff53a | 0;
  STATE[4] = 0x510e527f;
  STATE[5] = 0x9b05688c | 0;
  STATE[6] = 0x1f83d9ab;
  STATE[7] = 0x5be0cd19;
  const fullBlocksEnd = length & ~63;
  if (fullBlocksEnd > 0) compressBlocks(viewOf(bytes), 0, fullBlocksEnd);

  // The tail (under 64 bytes), 0x80, zeros, then the length in bits as a 64-bit big-endian
  // number: one block, or two when the tail leaves no room for the 9 bytes of padding.
  const tailLength = length - fullBlocksEnd;
  for (let i = 0; i < tailLength; i++) TAIL[i] = bytes[fullBlocksEnd + i];
  TAIL[tailLength] = 0x80;
  const paddedEnd = tailLength < 56 ? 64 : 128;
  for (let i = tailLength + 1; i < paddedEnd - 8; i++) TAIL[i] = 0;
  // length * 8 may pass 2^32: split it without 32-bit overflow.
  TAIL_VIEW.setUint32(paddedEnd - 8, Math.floor(length / 0x20000000));
  TAIL_VIEW.setUint32(paddedEnd - 4, (length << 3) >>> 0);
  compressBlocks(TAIL_VIEW, 0, paddedEnd);
  return STATE;
}

/** A DataView of `bytes`, kept while the same array comes back (hashContent's buffer does). */
function viewOf(bytes: Uint8Array): DataView {
  if (bytes !== lastBytes) {
    lastBytes = bytes;
    lastView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return lastView;
}

/**
 * Runs the compression function over the 64-byte blocks of `bytes[start, end)`.
 *
 * Unrolled by hand for speed (about a quarter faster than the textbook loop in Deno 2.9): the
 * message schedule is a ring of 16 local variables, recomputed 16 words at a time, and each
 * group of 16 rounds renames the working variables instead of shifting them (round r writes
 * its new `e` into the variable that held `d`, and its new `a` into the one that held `h`).
 */
function compressBlocks(view: DataView, start: number, end: number): void {
  const k = ROUND_CONSTANTS;
  let a = STATE[0], b = STATE[1], c = STATE[2], d = STATE[3];
  let e = STATE[4], f = STATE[5], g = STATE[6], h = STATE[7];
  for (let j = start; j < end; j += 64) {
    let w0 = view.getInt32(j + 0);
    let w1 = view.getInt32(j + 4);
    let w2 = view.getInt32(j + 8);
    let w3 = view.getInt32(j + 12);
    let w4 = view.getInt32(j + 16);
    let w5 = view.getInt32(j + 20);
    let w6 = view.getInt32(j + 24);
    let w7 = view.getInt32(j + 28);
    let w8 = view.getInt32(j + 32);
    let w9 = view.getInt32(j + 36);
    let w10 = view.getInt32(j + 40);
    let w11 = view.getInt32(j + 44);
    let w12 = view.getInt32(j + 48);
    let w13 = view.getInt32(j + 52);
    let w14 = view.getInt32(j + 56);
    let w15 = view.getInt32(j + 60);
    const a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = h;
    let t = 0;
    for (let i = 0; i < 64; i += 16) {
      if (i > 0) {
        // w[i] = σ1(w[i - 2]) + w[i - 7] + σ0(w[i - 15]) + w[i - 16], in a ring of 16.
        w0 = (w0 +
          ((((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3)) +
              ((((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10)) + w9 |
                0) | 0)) | 0;
        w1 = (w1 +
          ((((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3)) +
              ((((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10)) +
                  w10 | 0) | 0)) | 0;
        w2 = (w2 +
          ((((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3)) +
              ((((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10)) + w11 |
                0) | 0)) | 0;
        w3 = (w3 +
          ((((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) +
              ((((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10)) + w12 |
                0) | 0)) | 0;
        w4 = (w4 +
          ((((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) +
              ((((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)) + w13 |
                0) | 0)) | 0;
        w5 = (w5 +
          ((((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3)) +
              ((((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10)) + w14 |
                0) | 0)) | 0;
        w6 = (w6 +
          ((((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3)) +
              ((((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10)) + w15 |
                0) | 0)) | 0;
        w7 = (w7 +
          ((((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3)) +
              ((((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10)) + w0 | 0) |
            0)) | 0;
        w8 = (w8 +
          ((((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3)) +
              ((((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10)) + w1 | 0) |
            0)) | 0;
        w9 = (w9 +
          ((((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3)) +
              ((((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10)) + w2 | 0) |
            0)) | 0;
        w10 = (w10 +
          ((((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3)) +
              ((((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10)) + w3 | 0) |
            0)) | 0;
        w11 = (w11 +
          ((((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3)) +
              ((((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10)) + w4 | 0) |
            0)) | 0;
        w12 = (w12 +
          ((((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3)) +
              ((((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10)) + w5 |
                0) | 0)) | 0;
        w13 = (w13 +
          ((((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3)) +
              ((((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10)) + w6 |
                0) | 0)) | 0;
        w14 = (w14 +
          ((((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) +
              ((((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10)) + w7 |
                0) | 0)) | 0;
        w15 = (w15 +
          ((((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3)) +
              ((((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10)) + w8 |
                0) | 0)) | 0;
      }
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[i] + W[i]; d += T1; h = T1 + Σ0(a) + Maj(a, b, c).
      t = (h +
        ((((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
            ((e & f) ^ (~e & g)) | 0) +
        ((k[i + 0] + w0) | 0)) | 0;
      d = (d + t) | 0;
      h = (t +
        ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
            ((a & b) ^ (c & (a ^ b))) | 0)) | 0;
      t = (g +
        ((((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
            ((d & e) ^ (~d & f)) | 0) +
        ((k[i + 1] + w1) | 0)) | 0;
      c = (c + t) | 0;
      g = (t +
        ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
            ((h & a) ^ (b & (h ^ a))) | 0)) | 0;
      t = (f +
        ((((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
            ((c & d) ^ (~c & e)) | 0) +
        ((k[i + 2] + w2) | 0)) | 0;
      b = (b + t) | 0;
      f = (t +
        ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
            ((g & h) ^ (a & (g ^ h))) | 0)) | 0;
      t = (e +
        ((((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
            ((b & c) ^ (~b & d)) | 0) +
        ((k[i + 3] + w3) | 0)) | 0;
      a = (a + t) | 0;
      e = (t +
        ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
            ((f & g) ^ (h & (f ^ g))) | 0)) | 0;
      t = (d +
        ((((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
            ((a & b) ^ (~a & c)) | 0) +
        ((k[i + 4] + w4) | 0)) | 0;
      h = (h + t) | 0;
      d = (t +
        ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
            ((e & f) ^ (g & (e ^ f))) | 0)) | 0;
      t = (c +
        ((((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
            ((h & a) ^ (~h & b)) | 0) +
        ((k[i + 5] + w5) | 0)) | 0;
      g = (g + t) | 0;
      c = (t +
        ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
            ((d & e) ^ (f & (d ^ e))) | 0)) | 0;
      t = (b +
        ((((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
            ((g & h) ^ (~g & a)) | 0) +
        ((k[i + 6] + w6) | 0)) | 0;
      f = (f + t) | 0;
      b = (t +
        ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
            ((c & d) ^ (e & (c ^ d))) | 0)) | 0;
      t = (a +
        ((((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
            ((f & g) ^ (~f & h)) | 0) +
        ((k[i + 7] + w7) | 0)) | 0;
      e = (e + t) | 0;
      a = (t +
        ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
            ((b & c) ^ (d & (b ^ c))) | 0)) | 0;
      t = (h +
        ((((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
            ((e & f) ^ (~e & g)) | 0) +
        ((k[i + 8] + w8) | 0)) | 0;
      d = (d + t) | 0;
      h = (t +
        ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
            ((a & b) ^ (c & (a ^ b))) | 0)) | 0;
      t = (g +
        ((((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) +
            ((d & e) ^ (~d & f)) | 0) +
        ((k[i + 9] + w9) | 0)) | 0;
      c = (c + t) | 0;
      g = (t +
        ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) +
            ((h & a) ^ (b & (h ^ a))) | 0)) | 0;
      t = (f +
        ((((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) +
            ((c & d) ^ (~c & e)) | 0) +
        ((k[i + 10] + w10) | 0)) | 0;
      b = (b + t) | 0;
      f = (t +
        ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) +
            ((g & h) ^ (a & (g ^ h))) | 0)) | 0;
      t = (e +
        ((((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) +
            ((b & c) ^ (~b & d)) | 0) +
        ((k[i + 11] + w11) | 0)) | 0;
      a = (a + t) | 0;
      e = (t +
        ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) +
            ((f & g) ^ (h & (f ^ g))) | 0)) | 0;
      t = (d +
        ((((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) +
            ((a & b) ^ (~a & c)) | 0) +
        ((k[i + 12] + w12) | 0)) | 0;
      h = (h + t) | 0;
      d = (t +
        ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) +
            ((e & f) ^ (g & (e ^ f))) | 0)) | 0;
      t = (c +
        ((((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) +
            ((h & a) ^ (~h & b)) | 0) +
        ((k[i + 13] + w13) | 0)) | 0;
      g = (g + t) | 0;
      c = (t +
        ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) +
            ((d & e) ^ (f & (d ^ e))) | 0)) | 0;
      t = (b +
        ((((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) +
            ((g & h) ^ (~g & a)) | 0) +
        ((k[i + 14] + w14) | 0)) | 0;
      f = (f + t) | 0;
      b = (t +
        ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) +
            ((c & d) ^ (e & (c ^ d))) | 0)) | 0;
      t = (a +
        ((((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) +
            ((f & g) ^ (~f & h)) | 0) +
        ((k[i + 15] + w15) | 0)) | 0;
      e = (e + t) | 0;
      a = (t +
        ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) +
            ((b & c) ^ (d & (b ^ c))) | 0)) | 0;
    }
    a = (a + a0) | 0;
    b = (b + b0) | 0;
    c = (c + c0) | 0;
    d = (d + d0) | 0;
    e = (e + e0) | 0;
    f = (f + f0) | 0;
    g = (g + g0) | 0;
    h = (h + h0) | 0;
  }
  STATE[0] = a;
  STATE[1] = b;
  STATE[2] = c;
  STATE[3] = d;
  STATE[4] = e;
  STATE[5] = f;
  STATE[6] = g;
  STATE[7] = h;
}

const ROUND_CONSTANTS = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);

const STATE = new Int32Array(8);
const TAIL = new Uint8Array(128);
const TAIL_VIEW = new DataView(TAIL.buffer);
let lastBytes: Uint8Array | undefined;
let lastView: DataView = TAIL_VIEW;
