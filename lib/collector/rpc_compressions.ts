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
    await collect(streamOf(bytes).pipeThrough(new CompressionStream("gzip")), Infinity),
  decompress: async (bytes, readMaxBytes) => {
    if (bytes.length === 0) return new Uint8Array(0);
    // Written in slices sized by deflate's largest ratio: a bomb stops at the limit instead of
    // inflating whole (one DecompressionStream write returns all it inflates at once).
    const result = await inflateWithDecompressionStream(bytes, "gzip", readMaxBytes);
    if (result.ok) return new Uint8Array(result.bytes);
    throw decompressionError(
      result.tooLarge ? new TooLarge() : new Error(result.reason),
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
        code === "ERR_BUFFER_TOO_LARGE" ? new TooLarge() : error,
        readMaxBytes,
      );
    }
  },
};

/** What the RPC routers accept (`acceptCompression`), in order of preference. */
export const rpcCompressions: Compression[] = [gzip, brotli];

class TooLarge extends Error {}

function decompressionError(error: unknown, readMaxBytes: number): ConnectError {
  if (error instanceof TooLarge) {
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

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}

/** The stream's bytes in one array; throws {@link TooLarge} (and cancels) past `limit`. */
async function collect(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const pieces: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    pieces.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const piece of pieces) {
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return bytes;
}
