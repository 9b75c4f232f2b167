/**
 * Undoes an OTLP/HTTP request's `Content-Encoding` under a size limit that applies to the
 * decompressed bytes.
 *
 * @module
 */

import { bodyTooLargeMessage } from "./body_too_large_message.ts";
import type { InflateResult } from "./inflate_result.ts";
import { inflateWithDecompressionStream } from "./inflate_with_decompression_stream.ts";
import { inflateZstd } from "./inflate_zstd.ts";
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

type Inflater = (body: Uint8Array, maxBytes: number) => Promise<InflateResult>;

const gunzip: Inflater = (body, maxBytes) => inflateWithDecompressionStream(body, "gzip", maxBytes);

// The Collector's confighttp accepts these too (plus snappy and lz4, which need dependencies).
// gzip and deflate go through DecompressionStream; zstd, which it lacks, loads node:zlib when
// first used. "deflate" is the zlib format by RFC 9110, but some clients send raw deflate:
// sniff the header.
const INFLATERS: Record<string, Inflater> = {
  gzip: gunzip,
  "x-gzip": gunzip,
  deflate: (body, maxBytes) =>
    inflateWithDecompressionStream(
      body,
      hasZlibHeader(body) ? "deflate" : "deflate-raw",
      maxBytes,
    ),
  zstd: inflateZstd,
};
const IDENTITY = new Set(["", "identity", "none"]);
const SUPPORTED = "gzip, deflate, zstd or identity";

/**
 * Decompresses `body` according to a `Content-Encoding` header value (case-insensitive;
 * `null`, empty, `identity` and `none` mean no compression). Supported: `gzip` (`x-gzip`,
 * several members allowed), `deflate` (zlib or raw), `zstd`.
 *
 * `maxBytes` limits the decompressed size, and the output is counted as it comes out, in pieces
 * of at most 64 KiB past the limit: a gzip bomb is refused (413) after inflating little more
 * than `maxBytes`, however large it would expand. An unknown coding is 415; truncated or corrupt
 * compressed data is 400. An empty body stays empty whatever the coding.
 *
 * @example
 * ```ts
 * import { decompressOtlpBody } from "./decompress_otlp_body.ts";
 * const gzipped = await new Response(
 *   new Blob(["hello"]).stream().pipeThrough(new CompressionStream("gzip")),
 * ).bytes();
 * const result = await decompressOtlpBody(gzipped, "gzip", 1024);
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
  const inflate = Object.hasOwn(INFLATERS, coding) ? INFLATERS[coding] : undefined;
  if (inflate === undefined) {
    return {
      ok: false,
      status: 415,
      message: `Unsupported Content-Encoding ${quoteHeaderValue(contentEncoding ?? "")}: ` +
        `use ${SUPPORTED}`,
    };
  }
  if (body.byteLength === 0) return { ok: true, bytes: body };
  const inflated = await inflate(body, maxBytes);
  if (inflated.ok) return inflated;
  return inflated.tooLarge
    ? tooLarge(maxBytes, inflated.producedBytes, true)
    : { ok: false, status: 400, message: `Cannot decompress ${coding} body: ${inflated.reason}` };
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

/** RFC 1950: CM = 8 (deflate), CINFO <= 7, and the first two bytes are a multiple of 31. */
function hasZlibHeader(body: Uint8Array): boolean {
  if (body.byteLength < 2) return false;
  const [cmf, flg] = body;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}
