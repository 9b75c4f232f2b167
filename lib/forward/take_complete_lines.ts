/**
 * Cutting a batch out of the runtime log: whole lines only.
 *
 * @module
 */

/** Lines taken from a chunk, and how many bytes of the chunk they used. */
export interface TakenLines {
  /** Each line without its `\n`; blank lines are consumed but not returned. */
  lines: string[];
  /** Bytes consumed from the chunk's start (always the end of a line). */
  bytes: number;
}

/**
 * The whole lines at the start of `chunk` (bytes read from the log at a line boundary), at most
 * `maxLines` of them and at most `maxBytes` bytes, except that the first line is always taken
 * when complete, however long (a batch must make progress). A trailing part without `\n` is a
 * line still being written: it is left for the next read. Pure.
 *
 * @example
 * ```ts
 * takeCompleteLines(new TextEncoder().encode('{"a":1}\n{"b"'), 10, 1024);
 * // { lines: ['{"a":1}'], bytes: 8 }
 * ```
 */
export function takeCompleteLines(
  chunk: Uint8Array,
  maxLines: number,
  maxBytes: number,
): TakenLines {
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let start = 0;
  while (lines.length < maxLines) {
    const end = chunk.indexOf(0x0a, start);
    if (end < 0) break;
    if (end + 1 > maxBytes && start > 0) break;
    const line = decoder.decode(chunk.subarray(start, end)).trim();
    if (line !== "") lines.push(line);
    start = end + 1;
  }
  return { lines, bytes: start };
}

/** How many `\n` bytes `chunk` holds. Pure. */
export function countLines(chunk: Uint8Array): number {
  let count = 0;
  for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) count++;
  return count;
}
