/**
 * Complete lines of one runtime-log file from a byte offset on, for the dashboard's incremental
 * index. Only newline-terminated lines are given: a last line without its newline is a write in
 * progress and is read again on the next pass. A line longer than {@link MAX_LINE_BYTES} is given
 * with `overlong` and only its first KiB, so one huge line never fills memory.
 *
 * @module
 */

import { joinOwnedBytes } from "../../bytes/join_owned_bytes.ts";
import { MAX_LINE_BYTES } from "../../runtime_log/read_runtime_log.ts";

/** One complete line. */
export interface LogLine {
  /** The line's text without its newline (for an overlong line, only its first KiB). */
  text: string;
  /** Byte offset of the line's start in the file. */
  offset: number;
  /** Length in bytes, newline excluded. */
  length: number;
  overlong: boolean;
}

const BLOCK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;
const OVERLONG_PREFIX_BYTES = 1024;

/**
 * Reads `file` from `start` to its current end and yields each complete line.
 *
 * @example
 * ```ts
 * import { readLogLinesFrom } from "./read_log_lines_from.ts";
 *
 * using file = await Deno.open("runtime.jsonl");
 * for await (const line of readLogLinesFrom(file, 0)) console.log(line.offset, line.text);
 * ```
 */
export async function* readLogLinesFrom(
  file: Deno.FsFile,
  start: number,
): AsyncGenerator<LogLine> {
  await file.seek(start, Deno.SeekMode.Start);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(BLOCK_BYTES);
  let parts: Uint8Array[] = [];
  let held = 0;
  let lineBytes = 0;
  let lineStart = start;
  let position = start;
  while (true) {
    const read = await file.read(buffer);
    if (read === null) return;
    let from = 0;
    while (from < read) {
      const newline = buffer.indexOf(NEWLINE, from);
      const end: number = newline === -1 || newline >= read ? read : newline;
      const piece = buffer.subarray(from, end);
      lineBytes += piece.length;
      const limit = lineBytes > MAX_LINE_BYTES ? OVERLONG_PREFIX_BYTES : MAX_LINE_BYTES;
      if (held < limit) {
        const take = piece.subarray(0, limit - held);
        parts.push(take.slice());
        held += take.length;
      }
      if (end === read) break;
      const bytes = joinOwnedBytes(parts, held);
      const overlong = lineBytes > MAX_LINE_BYTES;
      yield {
        text: decoder.decode(overlong ? bytes.subarray(0, OVERLONG_PREFIX_BYTES) : bytes),
        offset: lineStart,
        length: lineBytes,
        overlong,
      };
      parts = [];
      held = 0;
      lineBytes = 0;
      lineStart = position + end + 1;
      from = end + 1;
    }
    position += read;
  }
}
