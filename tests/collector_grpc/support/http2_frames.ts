/**
 * Raw HTTP/2 client bytes (RFC 9113), for tests that need frames in an exact order and in one
 * write, which no client library sends on demand.
 *
 * @module
 */

import { LOGS_EXPORT_METHOD } from "./otlp_grpc_client.ts";

/** The client connection preface. */
export const CLIENT_PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

const FRAME_DATA = 0x0;
const FRAME_HEADERS = 0x1;
const FRAME_SETTINGS = 0x4;
const FRAME_GOAWAY = 0x7;
const FLAG_END_STREAM = 0x1;
const FLAG_END_HEADERS = 0x4;

function frame(type: number, flags: number, streamId: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(9 + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, payload.length >>> 16);
  view.setUint16(1, payload.length & 0xffff);
  view.setUint8(3, type);
  view.setUint8(4, flags);
  view.setUint32(5, streamId & 0x7fffffff);
  bytes.set(payload, 9);
  return bytes;
}

/** An empty SETTINGS frame (all defaults). */
export function settingsFrame(): Uint8Array {
  return frame(FRAME_SETTINGS, 0, 0, new Uint8Array());
}

/** GOAWAY with the last stream id the sender processed and an error code (0: NO_ERROR). */
export function goawayFrame(lastStreamId: number, errorCode = 0): Uint8Array {
  const payload = new Uint8Array(8);
  const view = new DataView(payload.buffer);
  view.setUint32(0, lastStreamId & 0x7fffffff);
  view.setUint32(4, errorCode);
  return frame(FRAME_GOAWAY, 0, 0, payload);
}

/**
 * HEADERS (END_HEADERS) of a gRPC OTLP Logs Export request, HPACK-encoded as literals without
 * indexing and without Huffman coding (every name and value shorter than 127 bytes).
 */
export function exportHeadersFrame(streamId: number): Uint8Array {
  const headers: [string, string][] = [
    [":method", "POST"],
    [":scheme", "http"],
    [":path", LOGS_EXPORT_METHOD],
    [":authority", "127.0.0.1"],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
  ];
  const encoder = new TextEncoder();
  const block: number[] = [];
  for (const [name, value] of headers) {
    block.push(0x00);
    for (const text of [name, value]) {
      const bytes = encoder.encode(text);
      block.push(bytes.length, ...bytes);
    }
  }
  return frame(FRAME_HEADERS, FLAG_END_HEADERS, streamId, new Uint8Array(block));
}

/** DATA with END_STREAM carrying one empty gRPC message (an empty Export request). */
export function emptyMessageDataFrame(streamId: number): Uint8Array {
  return frame(FRAME_DATA, FLAG_END_STREAM, streamId, new Uint8Array(5));
}

/**
 * A connection that sends GOAWAY, then a new stream (HEADERS and DATA with an empty Export
 * request), all in one write: what makes a Deno 2.9.6 `node:http2` server die with SIGSEGV.
 */
export function goawayThenNewStream(goawayErrorCode: number): Uint8Array {
  return concatBytes(
    CLIENT_PREFACE,
    settingsFrame(),
    goawayFrame(0, goawayErrorCode),
    exportHeadersFrame(1),
    emptyMessageDataFrame(1),
  );
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/**
 * Connects to `127.0.0.1:port`, writes `bytes` in one write, waits `lingerMs`, and closes the
 * connection without reading (so the close may reach the server as a reset).
 */
export async function sendRawAndClose(
  port: number,
  bytes: Uint8Array,
  lingerMs = 20,
): Promise<void> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    for (let written = 0; written < bytes.length;) {
      written += await connection.write(bytes.subarray(written));
    }
    await new Promise((resolve) => setTimeout(resolve, lingerMs));
  } finally {
    connection.close();
  }
}
