import type { IncomingMessage } from "node:http";

/**
 * A body read up to a limit: the bytes, `tooLarge` (the rest was not read), or `aborted` (the
 * client went away before sending all of it).
 */
export type ReadBodyResult =
  | { ok: true; body: Uint8Array }
  | { ok: false; tooLarge: true; aborted?: undefined }
  | { ok: false; aborted: true; tooLarge?: undefined };

/**
 * Reads a request body, giving up as soon as it passes `maxBytes` (a declared Content-Length
 * over the limit is refused before reading anything), so an oversized upload costs nothing.
 */
export async function readRequestBody(
  request: IncomingMessage,
  maxBytes: number,
): Promise<ReadBodyResult> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, tooLarge: true };
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) return { ok: false, tooLarge: true };
      chunks.push(chunk);
    }
  } catch {
    // The connection closed mid-body ("aborted", ECONNRESET): normal for a client that exits.
    return { ok: false, aborted: true };
  }
  if (request.readableAborted || (request as { aborted?: boolean }).aborted) {
    return { ok: false, aborted: true };
  }
  if (chunks.length === 1) return { ok: true, body: chunks[0] };
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, body };
}
