/**
 * zstd, which `DecompressionStream` lacks, through node:zlib, loaded on first use so that a
 * collector that never sees zstd never starts Deno's Node compatibility layer.
 *
 * @module
 */

import type { Transform } from "node:stream";
import { concatBytes } from "../bytes/concat_bytes.ts";
import type { InflateResult } from "./inflate_result.ts";

// Small output chunks bound how far past the limit a decompression bomb gets before it stops.
const CHUNK_BYTES = 64 * 1024;

/**
 * Inflates a zstd `body`, counting the output in 64 KiB chunks and stopping at the first that
 * passes `maxBytes`.
 *
 * @example
 * ```ts
 * import { zstdCompressSync } from "node:zlib";
 * import { inflateZstd } from "./inflate_zstd.ts";
 * const result = await inflateZstd(zstdCompressSync("hello"), 1024);
 * // result: { ok: true, bytes: Uint8Array(5) }
 * ```
 */
export async function inflateZstd(body: Uint8Array, maxBytes: number): Promise<InflateResult> {
  const { createZstdDecompress } = await import("node:zlib");
  return await new Promise((resolve) => {
    let decoder: Transform;
    try {
      decoder = createZstdDecompress({ chunkSize: CHUNK_BYTES });
    } catch (error) {
      resolve(corrupt(error));
      return;
    }
    const chunks: Uint8Array[] = [];
    // The bytes in `chunks`; the chunk that passes the limit is counted but not kept.
    let produced = 0;
    let settled = false;
    const settle = (result: InflateResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    decoder.on("data", (chunk: Uint8Array) => {
      if (settled) return;
      if (produced + chunk.byteLength > maxBytes) {
        // destroy() stops zstd between chunks: nothing more is inflated.
        decoder.destroy();
        settle({ ok: false, tooLarge: true, producedBytes: produced + chunk.byteLength });
        return;
      }
      produced += chunk.byteLength;
      chunks.push(chunk);
    });
    decoder.on("error", (error: unknown) => settle(corrupt(error)));
    decoder.on("end", () => settle({ ok: true, bytes: concatBytes(chunks, produced) }));
    decoder.end(body);
  });
}

function corrupt(error: unknown): InflateResult {
  return {
    ok: false,
    tooLarge: false,
    reason: error instanceof Error ? error.message : String(error),
  };
}
