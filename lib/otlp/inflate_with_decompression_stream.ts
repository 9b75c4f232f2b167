/**
 * gzip and deflate through the web-standard `DecompressionStream`, which needs no Node
 * compatibility layer, under a limit on the decompressed bytes, and with node:zlib's behaviour
 * at the edges (several gzip members, padding and garbage after the end, truncation).
 *
 * @module
 */

import { concatBytes } from "../bytes/concat_bytes.ts";
import { crc32 } from "./crc32.ts";
import type { InflateResult } from "./inflate_result.ts";

/** `deflate` is the zlib format (RFC 1950), `deflate-raw` bare deflate (RFC 1951). */
export type DecompressionStreamFormat = "gzip" | "deflate" | "deflate-raw";

// A DecompressionStream write returns all it inflates at once, so the limit is kept by the size
// of each write: deflate expands at most 1032 to 1 (a 258-byte match in two bits), and a little
// more covers bits carried over from the previous write. Each write then stops at most
// OVERSHOOT_BYTES past the limit.
const MAX_RATIO = 1040;
const OVERSHOOT_BYTES = 64 * 1024;
const MIN_WRITE_BYTES = 16;
// What Deno's DecompressionStream throws when the compressed stream ended before the bytes
// written to it did (Rust's io::ErrorKind::WriteZero from write_all).
const DATA_AFTER_END = "failed to write whole buffer";
const NOT_YET = Symbol("not yet");
const ONE_MORE_BYTE = new Uint8Array(1);

/** How the last write is followed: close (gzip checks its trailer), a probe byte, nothing. */
type Ending = "close" | "probeEnd" | "none";

type Run =
  /** Everything was written; `complete` is false when the probe byte showed the stream unfinished. */
  | { kind: "written"; chunks: Uint8Array[]; produced: number; complete: boolean }
  | { kind: "tooLarge"; produced: number }
  /** The stream ended at or after `sliceStart` and before `sliceEnd`: data follows it. */
  | { kind: "endedBefore"; sliceStart: number; sliceEnd: number }
  | { kind: "failed"; error: unknown; atClose: boolean; chunks: Uint8Array[]; produced: number };

/**
 * Inflates `body` (`gzip`, `deflate` or `deflate-raw`), stopping as soon as more than
 * `maxBytes` come out. As node:zlib does: gzip members are read one after another until the
 * body ends or a zero byte follows a member (padding); other bytes after a member must be
 * another member (`incorrect header check`); whatever follows a deflate stream is ignored; a
 * truncated stream is `unexpected end of file`.
 *
 * @example
 * ```ts
 * import { inflateWithDecompressionStream } from "./inflate_with_decompression_stream.ts";
 * const gzipped = await new Response(
 *   new Blob(["hello"]).stream().pipeThrough(new CompressionStream("gzip")),
 * ).bytes();
 * const result = await inflateWithDecompressionStream(gzipped, "gzip", 1024);
 * // result: { ok: true, bytes: Uint8Array(5) }
 * ```
 */
export async function inflateWithDecompressionStream(
  body: Uint8Array,
  format: DecompressionStreamFormat,
  maxBytes: number,
): Promise<InflateResult> {
  return format === "gzip"
    ? await inflateGzipMembers(body, maxBytes)
    : await inflateDeflate(body, format, maxBytes);
}

async function inflateDeflate(
  body: Uint8Array,
  format: "deflate" | "deflate-raw",
  maxBytes: number,
): Promise<InflateResult> {
  // Deno's "deflate" decoders accept a truncated stream at close: the probe byte tells instead.
  let run = await runRange(body, 0, body.byteLength, format, maxBytes, "probeEnd");
  if (run.kind === "endedBefore") {
    const end = await findStreamEnd(body, 0, run, format, maxBytes);
    run = typeof end === "number"
      ? await runRange(body, 0, end, format, maxBytes, "probeEnd")
      : end;
  }
  switch (run.kind) {
    case "written":
      return run.complete
        ? { ok: true, bytes: concat(run.chunks, run.produced) }
        : corrupt("unexpected end of file");
    case "tooLarge":
      return { ok: false, tooLarge: true, producedBytes: run.produced };
    case "failed":
      return corrupt(reasonOf(run.error));
    case "endedBefore":
      return corrupt("unexpected data after the end of the stream");
  }
}

async function inflateGzipMembers(body: Uint8Array, maxBytes: number): Promise<InflateResult> {
  const chunks: Uint8Array[] = [];
  let produced = 0;
  for (let start = 0;;) {
    // zlib checks the magic bytes as they arrive; DecompressionStream waits for the whole
    // header, which a few bytes of garbage after a member never complete.
    const badHeader = gzipHeaderProblem(body.subarray(start, start + 3));
    if (badHeader !== undefined) return corrupt(badHeader);
    const budget = maxBytes - produced;
    let end = body.byteLength;
    let run = await runRange(body, start, end, "gzip", budget, "close");
    if (run.kind === "endedBefore") {
      const found = await findStreamEnd(body, start, run, "gzip", budget);
      if (typeof found === "number") end = found;
      run = typeof found === "number"
        ? await runRange(body, start, end, "gzip", budget, "close")
        : found;
    }
    switch (run.kind) {
      case "tooLarge":
        return { ok: false, tooLarge: true, producedBytes: produced + run.produced };
      case "failed":
        return corrupt(
          run.atClose ? gzipTrailerReason(body.subarray(start, end), run) : reasonOf(run.error),
        );
      case "endedBefore":
        return corrupt("unexpected data after the end of a gzip member");
    }
    chunks.push(...run.chunks);
    produced += run.produced;
    // Like zlib: a zero byte after a member is padding that ends the body; anything else must
    // be the next member.
    if (end === body.byteLength || body[end] === 0) {
      return { ok: true, bytes: concat(chunks, produced) };
    }
    start = end;
  }
}

/** zlib's reason for the first bytes of a gzip member that cannot start one. */
function gzipHeaderProblem(first: Uint8Array): string | undefined {
  if (first[0] !== 0x1f || (first.byteLength > 1 && first[1] !== 0x8b)) {
    return "incorrect header check";
  }
  if (first.byteLength > 2 && first[2] !== 8) return "unknown compression method";
  return undefined;
}

/**
 * Where a stream that started at `start` ends, knowing it ends within `slice`: the stream
 * cannot tell where it stopped, so prefixes are tried (rare: only when data follows a stream).
 */
async function findStreamEnd(
  body: Uint8Array,
  start: number,
  slice: { sliceStart: number; sliceEnd: number },
  format: DecompressionStreamFormat,
  budget: number,
): Promise<number | Run> {
  // Writing [start, e) leaves bytes over exactly when e is past the end: true at hi, not at lo.
  let lo = slice.sliceStart;
  let hi = slice.sliceEnd;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const probe = await runRange(body, start, mid, format, budget, "none");
    if (probe.kind === "endedBefore") hi = mid;
    else if (probe.kind === "written") lo = mid;
    else return probe;
  }
  return hi - 1;
}

/** Writes `body[start, end)` to a new DecompressionStream, collecting and counting its output. */
async function runRange(
  body: Uint8Array,
  start: number,
  end: number,
  format: DecompressionStreamFormat,
  budget: number,
  ending: Ending,
): Promise<Run> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let produced = 0;
  let pendingRead = reader.read();
  // A failed write reports the same error; this read must not become an unhandled rejection.
  pendingRead.catch(() => {});
  /** Takes the chunk `next` if there is one; false once past the budget. */
  const take = (next: ReadableStreamReadResult<Uint8Array>): boolean => {
    if (next.done) return true;
    produced += next.value.byteLength;
    if (produced > budget) return false;
    chunks.push(next.value);
    pendingRead = reader.read();
    pendingRead.catch(() => {});
    return true;
  };
  try {
    for (let offset = start; offset < end;) {
      const sliceEnd = Math.min(end, offset + writeBytes(budget - produced));
      try {
        // DecompressionStream accepts views of shared memory too.
        await writer.write(body.subarray(offset, sliceEnd) as Uint8Array<ArrayBuffer>);
      } catch (error) {
        return isDataAfterEnd(error)
          ? { kind: "endedBefore", sliceStart: offset, sliceEnd }
          : { kind: "failed", error, atClose: false, chunks, produced };
      }
      // A write enqueues at most one chunk, synchronously, which fulfils the pending read
      // before the write's own promise settles: racing an already-settled value tells whether
      // there is one without waiting for the next write.
      const next = await Promise.race<ReadableStreamReadResult<Uint8Array> | typeof NOT_YET>([
        pendingRead,
        NOT_YET,
      ]);
      if (next !== NOT_YET && !take(next)) return { kind: "tooLarge", produced };
      offset = sliceEnd;
    }
    if (ending === "probeEnd") {
      // A finished stream refuses one more byte; an unfinished one takes it or calls it corrupt.
      const complete = await writer.write(ONE_MORE_BYTE).then(() => false, isDataAfterEnd);
      return { kind: "written", chunks, produced, complete };
    }
    if (ending === "close") {
      try {
        await writer.close();
      } catch (error) {
        return { kind: "failed", error, atClose: true, chunks, produced };
      }
      for (let next = await pendingRead; !next.done; next = await pendingRead) {
        if (!take(next)) return { kind: "tooLarge", produced };
      }
    }
    return { kind: "written", chunks, produced, complete: true };
  } finally {
    // Stops and frees the decoder, however the run ended (a no-op once the stream is closed).
    reader.cancel().catch(() => {});
  }
}

function writeBytes(remaining: number): number {
  return Math.max(
    MIN_WRITE_BYTES,
    Math.floor((Math.max(0, remaining) + OVERSHOOT_BYTES) / MAX_RATIO),
  );
}

function isDataAfterEnd(error: unknown): boolean {
  return error instanceof Error && error.message === DATA_AFTER_END;
}

/**
 * Why a gzip member failed its check at the end, in zlib's words: a complete member has a
 * trailer (CRC-32, then the size mod 2^32) that agrees with the output on one of the two.
 */
function gzipTrailerReason(
  member: Uint8Array,
  run: { error: unknown; chunks: Uint8Array[]; produced: number },
): string {
  if (member.byteLength < 18) return "unexpected end of file";
  const view = new DataView(member.buffer, member.byteOffset, member.byteLength);
  const sizeAgrees = view.getUint32(member.byteLength - 4, true) === run.produced >>> 0;
  const crcAgrees = view.getUint32(member.byteLength - 8, true) === crc32(run.chunks);
  if (sizeAgrees && crcAgrees) return reasonOf(run.error);
  if (sizeAgrees) return "incorrect data check";
  if (crcAgrees) return "incorrect length check";
  return "unexpected end of file";
}

/** The decoder's reason, in zlib's words where they differ only in wording. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message === "invalid gzip header" ? "incorrect header check" : message;
}

function corrupt(reason: string): InflateResult {
  return { ok: false, tooLarge: false, reason };
}

/**
 * One plain Uint8Array (decoded bytes fields view it): a lone plain chunk as it is (the stream
 * made it for this run alone), several copied into one.
 */
function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && Object.getPrototypeOf(chunks[0]) === Uint8Array.prototype) {
    return chunks[0];
  }
  return concatBytes(chunks, length);
}
