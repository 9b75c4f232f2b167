/**
 * A buffered reader over a connection, for the HTTP/1.1 server: request heads, exact byte
 * counts (bodies with a Content-Length), and lines (chunked bodies), each under a limit.
 *
 * @module
 */
import { latin1 } from "./latin1.ts";

/** What the reader reads from: a `Deno.Conn` or a test's stand-in. */
export interface ByteSource {
  read(buffer: Uint8Array): Promise<number | null>;
}

/** Why a read stopped short: the peer closed, or the limit was reached first. */
export type ShortRead = "end" | "too-large";

/**
 * Reads from one connection through a buffer that holds at most one request head (or one line)
 * at a time; body bytes go straight into their own array.
 *
 * @example
 * ```ts
 * import { BufferedReader } from "./buffered_reader.ts";
 * const bytes = new TextEncoder().encode("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
 * let sent = false;
 * const reader = new BufferedReader({
 *   read: (buffer) => {
 *     if (sent) return Promise.resolve(null);
 *     sent = true;
 *     buffer.set(bytes);
 *     return Promise.resolve(bytes.length);
 *   },
 * });
 * const head = await reader.readHead(16384);
 * if (typeof head === "string") throw new Error(head);
 * ```
 */
export class BufferedReader {
  #source: ByteSource;
  #buffer: Uint8Array;
  #start = 0;
  #end = 0;
  #ended = false;

  constructor(source: ByteSource, size = 16 * 1024) {
    this.#source = source;
    this.#buffer = new Uint8Array(size);
  }

  /** Bytes read from the connection and not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * The next request head, through its blank line (CRLF CRLF, or bare LF LF), without the
   * empty lines a client may send between requests. `"end"` when the peer closed first (with
   * or without a partial head), `"too-large"` past `maxBytes`. `onStart` is called once the
   * head's first byte is here (the server then switches from its idle to its header timeout).
   */
  async readHead(maxBytes: number, onStart?: () => void): Promise<Uint8Array | ShortRead> {
    let started = false;
    let scanned = 0;
    while (true) {
      // Empty lines before a request line are ignored (RFC 9112, section 2.2).
      while (
        this.#start < this.#end &&
        (this.#buffer[this.#start] === 13 || this.#buffer[this.#start] === 10)
      ) {
        this.#start++;
        scanned = 0;
      }
      if (this.#start < this.#end) {
        if (!started) {
          started = true;
          onStart?.();
        }
        const end = findHeadEnd(this.#buffer, this.#start + Math.max(0, scanned - 3), this.#end);
        if (end >= 0) {
          if (end - this.#start > maxBytes) return "too-large";
          const head = this.#buffer.slice(this.#start, end);
          this.#start = end;
          return head;
        }
        scanned = this.#end - this.#start;
        if (scanned > maxBytes) return "too-large";
      }
      if (!(await this.#fill(maxBytes + 4))) return "end";
    }
  }

  /** Fills `target` completely: from the buffer first, then straight from the connection. */
  async readInto(target: Uint8Array): Promise<boolean> {
    let filled = Math.min(this.buffered, target.length);
    target.set(this.#buffer.subarray(this.#start, this.#start + filled));
    this.#start += filled;
    while (filled < target.length) {
      if (this.#ended) return false;
      const read = await this.#source.read(target.subarray(filled));
      if (read === null) {
        this.#ended = true;
        return false;
      }
      filled += read;
    }
    return true;
  }

  /** Up to `length` bytes that are already here or come in one read (a chunk's data). */
  async readSome(length: number): Promise<Uint8Array | null> {
    if (this.buffered === 0 && !(await this.#fill(1))) return null;
    const size = Math.min(length, this.buffered);
    const bytes = this.#buffer.slice(this.#start, this.#start + size);
    this.#start += size;
    return bytes;
  }

  /** One line without its line break (CRLF or LF); at most `maxBytes` long. */
  async readLine(maxBytes: number): Promise<string | ShortRead> {
    let scanned = 0;
    while (true) {
      const from = this.#start + scanned;
      const newline = this.#buffer.subarray(from, this.#end).indexOf(10);
      if (newline >= 0) {
        let end = from + newline;
        const next = end + 1;
        if (end > this.#start && this.#buffer[end - 1] === 13) end--;
        if (end - this.#start > maxBytes) return "too-large";
        const line = latin1(this.#buffer, this.#start, end);
        this.#start = next;
        return line;
      }
      scanned = this.#end - this.#start;
      if (scanned > maxBytes + 1) return "too-large";
      if (!(await this.#fill(maxBytes + 2))) return "end";
    }
  }

  /** Reads more bytes in; false when the peer closed. Keeps at most `limit` unconsumed bytes. */
  async #fill(limit: number): Promise<boolean> {
    if (this.#ended) return false;
    if (this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buffer.length) {
      const kept = this.#end - this.#start;
      if (this.#start > 0) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        const grown = new Uint8Array(Math.max(this.#buffer.length * 2, Math.min(limit, 1 << 20)));
        grown.set(this.#buffer.subarray(0, kept));
        this.#buffer = grown;
      }
      this.#start = 0;
      this.#end = kept;
    }
    const read = await this.#source.read(this.#buffer.subarray(this.#end));
    if (read === null) {
      this.#ended = true;
      return false;
    }
    this.#end += read;
    return true;
  }
}

/** The index just past the head's blank line, or -1 (CRLF CRLF, or LF LF, or LF CRLF). */
function findHeadEnd(buffer: Uint8Array, from: number, to: number): number {
  for (let index = buffer.subarray(from, to).indexOf(10); index >= 0;) {
    const at = from + index;
    if (at + 1 < to && buffer[at + 1] === 10) return at + 2;
    if (at + 2 < to && buffer[at + 1] === 13 && buffer[at + 2] === 10) return at + 3;
    const next = buffer.subarray(at + 1, to).indexOf(10);
    index = next < 0 ? -1 : at + 1 + next - from;
  }
  return -1;
}
