/**
 * Reads the runtime log back: every line in order ({@link readRuntimeLog}), a quick summary for
 * `endpoint status` ({@link summarizeRuntimeLog}), and a search from an offset for
 * `endpoint test-event` ({@link findEventInRuntimeLog}).
 *
 * Readers never load a whole file: lines are streamed in blocks, and the last event is found by
 * reading backwards from the end. They run beside a live collector, so a last line without its
 * newline (a write in progress, or a torn write) is expected and reported rather than thrown, and
 * the files are opened before reading so that a rotation in the middle does not make a reader
 * skip or repeat a file.
 *
 * @module
 */

import { concatBytes } from "../bytes/concat_bytes.ts";
import { joinOwnedBytes } from "../bytes/join_owned_bytes.ts";
import { archivePath, listRuntimeLogArchives } from "./list_runtime_log_archives.ts";
import { readAt } from "./runtime_log_file.ts";

/** One line of the runtime log as {@link readRuntimeLog} gives it. */
export interface RuntimeLogLine {
  /** The line's text without its newline (for an overlong line, only its first KiB). */
  line: string;
  /** The parsed event, when the line is a complete JSON object. */
  event?: Record<string, unknown>;
  /** Why the line is not an event: `file:line: reason`, ready to show. */
  error?: string;
  /** The file the line is in (the log or one of its archives). */
  file: string;
  /** 1-based line number within `file`. */
  lineNumber: number;
  /** Byte offset of the line's start within `file`. */
  offset: number;
}

/** Options of {@link readRuntimeLog}. */
export interface ReadRuntimeLogOptions {
  /** Read the numbered archives (oldest first) before the live file. Default true. */
  fromArchives?: boolean;
}

/** A line longer than this is reported as an error and skipped, not held in memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

const BLOCK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
/** How much of an overlong line is kept in {@link RuntimeLogLine.line}. */
const OVERLONG_PREFIX_BYTES = 1024;

/**
 * Every line of the runtime log at `path`, in the order written: the archives oldest first
 * (`runtime.jsonl.N` ... `runtime.jsonl.1`, gaps allowed), then the live file. A missing log
 * yields nothing. A line that is not a complete JSON object (invalid, torn, overlong) comes with
 * `error` instead of `event`; only I/O errors other than a missing file throw.
 *
 * @example
 * ```ts
 * import { readRuntimeLog } from "./read_runtime_log.ts";
 *
 * for await (const { event, error } of readRuntimeLog("/var/log/beacon-agent/runtime.jsonl")) {
 *   if (error) console.error(error);
 *   else console.log(event!.kind);
 * }
 * ```
 */
export async function* readRuntimeLog(
  path: string,
  options: ReadRuntimeLogOptions = {},
): AsyncGenerator<RuntimeLogLine> {
  const numbers = options.fromArchives === false ? [] : await listRuntimeLogArchives(path);
  const paths = [...numbers.toReversed().map((number) => archivePath(path, number)), path];
  // Open every file first: a rotation while reading renames them, but open handles keep
  // pointing at the content that was there when reading began.
  const files: { path: string; file: Deno.FsFile }[] = [];
  try {
    for (const file of paths) {
      const handle = await openIfPresent(file);
      if (handle) files.push({ path: file, file: handle });
    }
    for (const { path: file, file: handle } of files) {
      let lineNumber = 0;
      for await (const raw of readLines(handle, 0)) {
        lineNumber++;
        yield toRuntimeLogLine(raw, file, lineNumber);
      }
    }
  } finally {
    for (const { file } of files) file.close();
  }
}

/** What {@link summarizeRuntimeLog} reports. */
export interface RuntimeLogSummary {
  path: string;
  /** Whether the live file exists. */
  exists: boolean;
  /** Size of the live file (0 when missing). */
  bytes: number;
  /** The numbered archives, newest (`.1`) first. */
  archives: { path: string; bytes: number }[];
  /**
   * `time` of the newest event: the last complete line of the live file that is an event, or of
   * the newest archive holding one (just after a rotation the live file is empty).
   */
  lastEventTime?: string;
  /** `kind` of that event. */
  lastEventKind?: string;
  /**
   * Complete lines in the live file; absent when the file is larger than
   * {@link COUNT_LINES_MAX_BYTES}, where counting would no longer be quick.
   */
  events?: number;
}

/** Live files up to this size get their lines counted in {@link summarizeRuntimeLog}. */
export const COUNT_LINES_MAX_BYTES = 64 * 1024 * 1024;

/** How far back from a file's end {@link summarizeRuntimeLog} looks for an event. */
const LAST_EVENT_SCAN_BYTES = 4 * 1024 * 1024;

/**
 * The runtime log's files, sizes and newest event, for `endpoint status`. The newest event is
 * found by reading backwards from the end of the file, so the cost does not grow with the log's
 * size; the line count reads the live file once (a few milliseconds for 10 MiB).
 *
 * @example
 * ```ts
 * import { summarizeRuntimeLog } from "./read_runtime_log.ts";
 *
 * await summarizeRuntimeLog("/home/ada/.beacon/endpoint/logs/runtime.jsonl");
 * // { path: "...", exists: true, bytes: 5321, archives: [{ path: "....jsonl.1", bytes: 10485700 }],
 * //   lastEventTime: "2026-11-25T11:42:42.500Z", lastEventKind: "tool_result", events: 12 }
 * ```
 */
export async function summarizeRuntimeLog(path: string): Promise<RuntimeLogSummary> {
  const archives: RuntimeLogSummary["archives"] = [];
  for (const number of await listRuntimeLogArchives(path)) {
    const archive = archivePath(path, number);
    const info = await statIfPresent(archive);
    if (info) archives.push({ path: archive, bytes: info.size });
  }
  const summary: RuntimeLogSummary = { path, exists: false, bytes: 0, archives };
  const live = await openIfPresent(path);
  if (live) {
    try {
      const size = (await live.stat()).size;
      summary.exists = true;
      summary.bytes = size;
      const last = await findLastEvent(live, size);
      if (last) Object.assign(summary, last);
      if (size <= COUNT_LINES_MAX_BYTES) summary.events = await countLines(live);
    } finally {
      live.close();
    }
  }
  for (const archive of archives) {
    if (summary.lastEventTime !== undefined) break;
    const file = await openIfPresent(archive.path);
    if (!file) continue;
    try {
      const last = await findLastEvent(file, (await file.stat()).size);
      if (last) Object.assign(summary, last);
    } finally {
      file.close();
    }
  }
  return summary;
}

/** An event {@link findEventInRuntimeLog} found, and where. */
export interface FoundRuntimeLogEvent {
  event: Record<string, unknown>;
  line: string;
  file: string;
  /** Byte offset of the line within `file`. */
  offset: number;
}

/** Options of {@link findEventInRuntimeLog}. */
export interface FindEventOptions {
  /**
   * Search only what was written after the live file had this size (take it with `Deno.stat`
   * before sending). A line that straddles the offset was written before it and is skipped.
   */
  sinceBytes?: number;
  /**
   * The live file's inode (`Deno.stat(path).ino`) when `sinceBytes` was taken. With it, any
   * number of rotations since then are followed: that file is searched under its archive name
   * from `sinceBytes`, then every newer archive and the live file whole (if it has been dropped,
   * every archive is newer). Without it, a live file now smaller than `sinceBytes` is taken as
   * rotated once (`.1` from the offset, then the live file); a file rotated and grown past
   * `sinceBytes` again would be searched from the wrong place.
   */
  sinceFileId?: number;
}

/**
 * The first event in the live runtime log (from `sinceBytes` on) for which `predicate` is true,
 * or undefined. Lines that are not events are passed over.
 *
 * @example
 * ```ts
 * import { findEventInRuntimeLog } from "./read_runtime_log.ts";
 *
 * const path = "/home/ada/.beacon/endpoint/logs/runtime.jsonl";
 * const sinceBytes = (await Deno.stat(path)).size;
 * // ... send a test event with session id "beacon-test-event-1" ...
 * const found = await findEventInRuntimeLog(
 *   path,
 *   (event) => event.session_id === "beacon-test-event-1",
 *   { sinceBytes },
 * );
 * ```
 */
export async function findEventInRuntimeLog(
  path: string,
  predicate: (event: Record<string, unknown>, line: string) => boolean,
  options: FindEventOptions = {},
): Promise<FoundRuntimeLogEvent | undefined> {
  const since = Math.max(0, Math.floor(options.sinceBytes ?? 0));
  const opened: Deno.FsFile[] = [];
  const open = async (file: string) => {
    const handle = await openIfPresent(file);
    if (handle) opened.push(handle);
    return handle;
  };
  try {
    // The live file first: if a rotation happens while the others are opened, the handles
    // still cover everything written since the offset.
    const live = await open(path);
    if (!live) return undefined;
    const liveInfo = await live.stat();
    const knowsFile = options.sinceFileId !== undefined && liveInfo.ino !== null;
    const rotated = knowsFile ? liveInfo.ino !== options.sinceFileId : liveInfo.size < since;
    // Oldest first: the part of the file that was live, then anything written after it.
    const searches: { file: Deno.FsFile; path: string; from: number }[] = [];
    if (!rotated) {
      searches.push({ file: live, path, from: since });
    } else if (!knowsFile) {
      const archive = await open(archivePath(path, 1));
      if (archive) searches.push({ file: archive, path: archivePath(path, 1), from: since });
      searches.push({ file: live, path, from: 0 });
    } else {
      // Walk back through the archives to the file that was live: newer ones are read whole.
      const newer: { file: Deno.FsFile; path: string; from: number }[] = [];
      for (const number of await listRuntimeLogArchives(path)) {
        const name = archivePath(path, number);
        const archive = await open(name);
        if (!archive) continue;
        if ((await archive.stat()).ino === options.sinceFileId) {
          newer.push({ file: archive, path: name, from: since });
          break;
        }
        newer.push({ file: archive, path: name, from: 0 });
      }
      searches.push(...newer.toReversed(), { file: live, path, from: 0 });
    }
    for (const search of searches) {
      const found = await searchFile(search.file, search.path, search.from, predicate);
      if (found) return found;
    }
    return undefined;
  } finally {
    for (const handle of opened) handle.close();
  }
}

async function searchFile(
  file: Deno.FsFile,
  path: string,
  from: number,
  predicate: (event: Record<string, unknown>, line: string) => boolean,
): Promise<FoundRuntimeLogEvent | undefined> {
  // Start on a line boundary: a line that began before `from` was written before it.
  const startsLine = from === 0 || (await readAt(file, from - 1, 1))[0] === NEWLINE;
  let skipFirst = !startsLine;
  for await (const raw of readLines(file, from)) {
    if (skipFirst) {
      skipFirst = false;
      continue;
    }
    if (!raw.terminated || raw.overlong) continue;
    const event = parseObject(raw.text);
    if (event && predicate(event, raw.text)) {
      return { event, line: raw.text, file: path, offset: raw.offset };
    }
  }
  return undefined;
}

/** One line from {@link readLines}. */
interface RawLine {
  text: string;
  offset: number;
  /** Ended with a newline (false only for the last line of the file). */
  terminated: boolean;
  /** Longer than {@link MAX_LINE_BYTES}: `text` holds only its start. */
  overlong: boolean;
  bytes: number;
}

/** The lines of `file` from byte `start` on, read in blocks. */
async function* readLines(file: Deno.FsFile, start: number): AsyncGenerator<RawLine> {
  await file.seek(start, Deno.SeekMode.Start);
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(BLOCK_BYTES);
  let parts: Uint8Array[] = [];
  let held = 0;
  let lineBytes = 0;
  let lineStart = start;
  let position = start;
  const take = (piece: Uint8Array) => {
    lineBytes += piece.length;
    if (lineBytes > MAX_LINE_BYTES && held > OVERLONG_PREFIX_BYTES) {
      // Now overlong: keep only its start, and nothing more of it.
      parts = [joinOwnedBytes(parts, held).slice(0, OVERLONG_PREFIX_BYTES)];
      held = OVERLONG_PREFIX_BYTES;
    }
    const room = lineBytes > MAX_LINE_BYTES ? OVERLONG_PREFIX_BYTES - held : piece.length;
    if (room > 0) {
      parts.push(piece.slice(0, room)); // a copy: the read buffer is reused
      held += Math.min(room, piece.length);
    }
  };
  const finish = (terminated: boolean): RawLine => {
    const overlong = lineBytes > MAX_LINE_BYTES;
    const line = {
      text: decoder.decode(joinOwnedBytes(parts, held)),
      offset: lineStart,
      terminated,
      overlong,
      bytes: lineBytes,
    };
    parts = [];
    held = 0;
    lineBytes = 0;
    return line;
  };
  while (true) {
    const read = await file.read(buffer);
    if (read === null) break;
    const chunk = buffer.subarray(0, read);
    let from = 0;
    while (from < read) {
      const newline = chunk.indexOf(NEWLINE, from);
      if (newline === -1) {
        take(chunk.subarray(from));
        break;
      }
      take(chunk.subarray(from, newline));
      yield finish(true);
      lineStart = position + newline + 1;
      from = newline + 1;
    }
    position += read;
  }
  if (lineBytes > 0) yield finish(false);
}

function toRuntimeLogLine(raw: RawLine, file: string, lineNumber: number): RuntimeLogLine {
  const base = { line: raw.text, file, lineNumber, offset: raw.offset };
  const where = `${file}:${lineNumber}`;
  if (raw.overlong) {
    return {
      ...base,
      error: `${where}: the line is ${raw.bytes} bytes, longer than the ${MAX_LINE_BYTES} a ` +
        "reader accepts; skipped",
    };
  }
  if (!raw.terminated) {
    return {
      ...base,
      error: `${where}: the last line has no newline: a write in progress, or one cut short ` +
        "by a crash (the collector moves such a tail aside when it starts)",
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...base, error: `${where}: not valid JSON (${reason})` };
  }
  if (!isRecord(value)) return { ...base, error: `${where}: not a JSON object` };
  return { ...base, event: value };
}

/**
 * `time` and `kind` of the last complete line of `file` that is an event with a `time`,
 * looking back at most {@link LAST_EVENT_SCAN_BYTES}.
 */
async function findLastEvent(
  file: Deno.FsFile,
  size: number,
): Promise<{ lastEventTime: string; lastEventKind?: string } | undefined> {
  const stop = Math.max(0, size - LAST_EVENT_SCAN_BYTES);
  let position = size;
  // Bytes from `position` up to the end of the line being assembled (empty at first).
  let carry = new Uint8Array(0);
  // Until the last newline is seen, everything read is an unterminated tail, not a line.
  let pastTail = false;
  while (position > stop) {
    const length = Math.min(BLOCK_BYTES, position - stop);
    position -= length;
    const data = concatBytes([await readAt(file, position, length), carry]);
    let end = data.length;
    while (end > 0) {
      const newline = data.lastIndexOf(NEWLINE, end - 1);
      if (newline === -1) break;
      if (pastTail) {
        const found = eventTime(data.subarray(newline + 1, end));
        if (found) return found;
      }
      pastTail = true;
      end = newline;
    }
    carry = pastTail ? data.slice(0, end) : new Uint8Array(0);
  }
  // The file's first line has no newline before it.
  if (position === 0 && pastTail && carry.length) return eventTime(carry);
  return undefined;
}

function eventTime(
  bytes: Uint8Array,
): { lastEventTime: string; lastEventKind?: string } | undefined {
  const event = parseObject(new TextDecoder().decode(bytes));
  if (!event || typeof event.time !== "string") return undefined;
  return typeof event.kind === "string"
    ? { lastEventTime: event.time, lastEventKind: event.kind }
    : { lastEventTime: event.time };
}

async function countLines(file: Deno.FsFile): Promise<number> {
  await file.seek(0, Deno.SeekMode.Start);
  const buffer = new Uint8Array(1024 * 1024);
  let lines = 0;
  while (true) {
    const read = await file.read(buffer);
    if (read === null) break;
    const chunk = buffer.subarray(0, read);
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) lines++;
  }
  return lines;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Opens a log file for reading, or undefined when it does not exist. Anything else that stops
 * the read (a folder where the file should be, no permission) is an error naming the file and
 * what to do, not the bare system message.
 */
async function openIfPresent(path: string): Promise<Deno.FsFile | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new Error(
        `Cannot read the runtime log "${path}": permission denied. Run as the user the ` +
          "collector writes as (or root for a system endpoint), or give read access to the file.",
        { cause: error },
      );
    }
    throw new Error(`Cannot read the runtime log "${path}": ${(error as Error).message}`, {
      cause: error,
    });
  }
  const info = await file.stat();
  if (!info.isFile) {
    file.close();
    throw new Error(
      `Cannot read the runtime log "${path}": it is a ${
        info.isDirectory ? "folder" : "special file"
      }, not a file. Move it away, or point runtime_log.path in the policy at a file.`,
    );
  }
  return file;
}

async function statIfPresent(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
