/**
 * The message compressions the RPC listeners accept (Connect, gRPC-Web, gRPC): gzip through the
 * web `DecompressionStream` (no Node layer), and brotli through `node:zlib`, loaded only when a
 * client sends it. Decompression stops as soon as a message passes the read limit.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";
import { inflateWithDecompressionStream } from "../otlp/inflate_with_decompression_stream.ts";

const gzip: Compression = {
  name: "gzip",
  compress: async (bytes) =>
    new Uint8Array(
      await new Response(
        new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer(),
    ),
  decompress: async (bytes, readMaxBytes) => {
    if (bytes.length === 0) return new Uint8Array(0);
    // Written in slices sized by deflate's largest ratio: a bomb stops at the limit instead of
    // inflating whole (one DecompressionStream write returns all it inflates at once).
    const result = await inflateWithDecompressionStream(bytes, "gzip", readMaxBytes);
    if (result.ok) return new Uint8Array(result.bytes);
    throw decompressionError(
      result.tooLarge ? "too large" : new Error(result.reason),
      readMaxBytes,
    );
  },
};

const brotli: Compression = {
  name: "br",
  compress: async (bytes) => {
    const zlib = await import("node:zlib");
    return new Uint8Array(
      await new Promise<Uint8Array>((resolve, reject) =>
        zlib.brotliCompress(bytes, (error, result) => error ? reject(error) : resolve(result))
      ),
    );
  },
  decompress: async (bytes, readMaxBytes) => {
    if (bytes.length === 0) return new Uint8Array(0);
    const zlib = await import("node:zlib");
    try {
      return new Uint8Array(
        await new Promise<Uint8Array>((resolve, reject) =>
          zlib.brotliDecompress(
            bytes,
            { maxOutputLength: Math.max(1, readMaxBytes) },
            (error, result) => error ? reject(error) : resolve(result),
          )
        ),
      );
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw decompressionError(
        code === "ERR_BUFFER_TOO_LARGE" ? "too large" : error,
        readMaxBytes,
      );
    }
  },
};

/** What the RPC routers accept (`acceptCompression`), in order of preference. */
export const rpcCompressions: Compression[] = [gzip, brotli];

/** `resource_exhausted` past the limit ("too large"), `invalid_argument` for corrupt data. */
function decompressionError(error: unknown, readMaxBytes: number): ConnectError {
  if (error === "too large") {
    return new ConnectError(
      `message is larger than configured readMaxBytes ${readMaxBytes} after decompression`,
      Code.ResourceExhausted,
    );
  }
  return new ConnectError(
    "decompression failed",
    Code.InvalidArgument,
    undefined,
    undefined,
    error,
  );
}
