/**
 * Undoes an OTLP/HTTP request's `Content-Encoding` under a size limit that applies to the
 * decompressed bytes.
 *
 * @module
 */

import { bodyTooLargeMessage } from "./body_too_large_message.ts";
import {
  createGunzip,
  createInflate,
  createInflateRaw,
  createZstdDecompress,
  type ZlibOptions,
} from "node:zlib";
import type { Transform } from "node:stream";
import { quoteHeaderValue } from "./quote_header_value.ts";

/** The body after its `Content-Encoding` was undone, or why it was refused. */
export type DecompressOtlpBodyResult =
  | { ok: true; bytes: Uint8Array }
  | {
    ok: false;
    status: 400 | 413 | 415;
    message: string;
    /** On 413: how many decompressed bytes were produced before decompression stopped. */
    producedBytes?: number;
  };

type Decoder = (options: ZlibOptions) => Transform;

// The Collector's confighttp accepts these too (plus snappy and lz4, which need dependencies).
// "deflate" is the zlib format by RFC 9110, but some clients send raw deflate: sniff the header.
const DECODERS: Record<string, (body: Uint8Array) => Decoder> = {
  gzip: () => createGunzip,
  "x-gzip": () => createGunzip,
  deflate: (body) => hasZlibHeader(body) ? createInflate : createInflateRaw,
  zstd: () => createZstdDecompress as Decoder,
};
const IDENTITY = new Set(["", "identity", "none"]);
const SUPPORTED = "gzip, deflate, zstd or identity";

// Small output chunks bound how far past the limit a decompression bomb gets before it stops.
const CHUNK_BYTES = 64 * 1024;

/**
 * Decompresses `body` according to a `Content-Encoding` header value (case-insensitive;
 * `null`, empty, `identity` and `none` mean no compression). Supported: `gzip` (`x-gzip`,
 * several members allowed), `deflate` (zlib or raw), `zstd`.
 *
 * `maxBytes` limits the decompressed size, and decompression streams in 64 KiB chunks that are
 * counted as they come out: a gzip bomb is refused (413) after inflating little more than
 * `maxBytes`, however large it would expand. An unknown coding is 415; truncated or corrupt
 * compressed data is 400. An empty body stays empty whatever the coding.
 *
 * @example
 * ```ts
 * import { gzipSync } from "node:zlib";
 * import { decompressOtlpBody } from "./decompress_otlp_body.ts";
 * const result = await decompressOtlpBody(gzipSync("hello"), "gzip", 1024);
 * // result: { ok: true, bytes: Uint8Array(5) }
 * ```
 */
export async function decompressOtlpBody(
  body: Uint8Array,
  contentEncoding: string | null,
  maxBytes: number,
): Promise<DecompressOtlpBodyResult> {
  if (!(maxBytes >= 0)) throw new RangeError(`maxBytes must be 0 or more, got ${maxBytes}`);
  const coding = (contentEncoding ?? "").trim().toLowerCase();
  if (IDENTITY.has(coding)) {
    return body.byteLength > maxBytes
      ? tooLarge(maxBytes, body.byteLength, false)
      : { ok: true, bytes: body };
  }
  const pickDecoder = Object.hasOwn(DECODERS, coding) ? DECODERS[coding] : undefined;
  if (pickDecoder === undefined) {
    return {
      ok: false,
      status: 415,
      message: `Unsupported Content-Encoding ${quoteHeaderValue(contentEncoding ?? "")}: ` +
        `use ${SUPPORTED}`,
    };
  }
  if (body.byteLength === 0) return { ok: true, bytes: body };
  return await inflate(body, pickDecoder(body), coding, maxBytes);
}

function inflate(
  body: Uint8Array,
  createDecoder: Decoder,
  coding: string,
  maxBytes: number,
): Promise<DecompressOtlpBodyResult> {
  return new Promise((resolve) => {
    let decoder: Transform;
    try {
      decoder = createDecoder({ chunkSize: CHUNK_BYTES });
    } catch (error) {
      resolve(corrupt(coding, error));
      return;
    }
    const chunks: Uint8Array[] = [];
    let produced = 0;
    let settled = false;
    const settle = (result: DecompressOtlpBodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    decoder.on("data", (chunk: Uint8Array) => {
      if (settled) return;
      produced += chunk.byteLength;
      if (produced > maxBytes) {
        // destroy() stops zlib between chunks: nothing more is inflated.
        decoder.destroy();
        settle(tooLarge(maxBytes, produced, true));
        return;
      }
      chunks.push(chunk);
    });
    decoder.on("error", (error: unknown) => settle(corrupt(coding, error)));
    decoder.on("end", () => settle({ ok: true, bytes: concat(chunks, produced) }));
    decoder.end(body);
  });
}

/** Copies the chunks into one plain Uint8Array (not a Buffer: decoded bytes fields view it). */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(
  maxBytes: number,
  producedBytes: number,
  afterDecompression: boolean,
): DecompressOtlpBodyResult {
  return {
    ok: false,
    status: 413,
    message: bodyTooLargeMessage(maxBytes, afterDecompression),
    producedBytes,
  };
}

function corrupt(coding: string, error: unknown): DecompressOtlpBodyResult {
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, status: 400, message: `Cannot decompress ${coding} body: ${reason}` };
}

/** RFC 1950: CM = 8 (deflate), CINFO <= 7, and the first two bytes are a multiple of 31. */
function hasZlibHeader(body: Uint8Array): boolean {
  if (body.byteLength < 2) return false;
  const [cmf, flg] = body;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}
