import assert from "node:assert/strict";
import { BufferedReader, type ByteSource } from "./buffered_reader.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("latin1");

/** A source that hands over `parts` one read at a time (split further if a read is smaller). */
function source(parts: (string | Uint8Array)[]): ByteSource & { reads: number } {
  const queue = parts.map((part) => typeof part === "string" ? encoder.encode(part) : part);
  let next = 0;
  return {
    reads: 0,
    read(buffer) {
      this.reads++;
      const part = queue[next];
      if (part === undefined) return Promise.resolve(null);
      const size = Math.min(part.length, buffer.length);
      buffer.set(part.subarray(0, size));
      if (size < part.length) queue[next] = part.subarray(size);
      else next++;
      return Promise.resolve(size);
    },
  };
}

function oneByteAtATime(text: string): ByteSource {
  return source([...text].map((char) => char));
}

async function headText(reader: BufferedReader, maxBytes = 16 * 1024): Promise<string> {
  const head = await reader.readHead(maxBytes);
  assert.ok(head instanceof Uint8Array, `readHead gave ${head}`);
  return decoder.decode(head);
}

const HEAD = "POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n";

Deno.test("readHead: a head split at every byte position is found whole, body left behind", async () => {
  const whole = HEAD + "hello";
  for (let at = 1; at < whole.length; at++) {
    const reader = new BufferedReader(source([whole.slice(0, at), whole.slice(at)]), 64);
    assert.equal(await headText(reader), HEAD, `split at ${at}`);
    const body = new Uint8Array(5);
    assert.equal(await reader.readInto(body), true);
    assert.equal(decoder.decode(body), "hello");
  }
});

Deno.test("readHead: one byte per read, in a buffer smaller than the head", async () => {
  const reader = new BufferedReader(oneByteAtATime(HEAD + HEAD), 8);
  let started = 0;
  assert.equal(decoder.decode((await reader.readHead(1024, () => started++)) as Uint8Array), HEAD);
  assert.equal(await headText(reader), HEAD);
  assert.equal(started, 1);
  assert.equal(await reader.readHead(1024), "end");
});

Deno.test("readHead: LF-only and mixed line endings end a head", async () => {
  for (const head of ["GET / HTTP/1.1\nHost: x\n\n", "GET / HTTP/1.1\r\nHost: x\n\r\n"]) {
    for (
      const reader of [new BufferedReader(source([head])), new BufferedReader(oneByteAtATime(head))]
    ) {
      assert.equal(await headText(reader), head);
    }
  }
  // A one-byte line is not a blank line, nor is CR CR: the head goes on.
  const short = new BufferedReader(source(["GET / HTTP/1.1\nA\nHost: x\n\n"]));
  assert.equal(await headText(short), "GET / HTTP/1.1\nA\nHost: x\n\n");
  const reader = new BufferedReader(source(["GET / HTTP/1.1\r\nA: b\r\r\nHost: x\r\n\r\n"]));
  assert.equal(await headText(reader), "GET / HTTP/1.1\r\nA: b\r\r\nHost: x\r\n\r\n");
});

Deno.test("readHead: empty lines before a request are skipped, and do not start its timer", async () => {
  let started = 0;
  const reader = new BufferedReader(oneByteAtATime("\r\n\n\r\n" + HEAD));
  const head = await reader.readHead(1024, () => started++);
  assert.equal(decoder.decode(head as Uint8Array), HEAD);
  assert.equal(started, 1);
  let startedOnBlank = 0;
  const blanks = new BufferedReader(source(["\r\n\r\n", "\n"]));
  assert.equal(await blanks.readHead(1024, () => startedOnBlank++), "end");
  assert.equal(startedOnBlank, 0);
});

Deno.test("readHead: the peer closing mid-head is the end, not a head", async () => {
  let started = 0;
  const reader = new BufferedReader(source(["GET / HTTP/1.1\r\nHost:"]));
  assert.equal(await reader.readHead(1024, () => started++), "end");
  assert.equal(started, 1);
});

Deno.test("readHead: a head of exactly maxBytes is read, one byte more is too large", async () => {
  const head = (size: number) => {
    const start = "GET / HTTP/1.1\r\nX: ";
    return start + "a".repeat(size - start.length - 4) + "\r\n\r\n";
  };
  for (const size of [64, 100, 16 * 1024]) {
    assert.equal(head(size).length, size);
    for (const parts of [[head(size)], [...head(size)]]) {
      const atLimit = new BufferedReader(source(parts), 16);
      assert.equal(await headText(atLimit, size), head(size));
    }
    for (const parts of [[head(size + 1)], [...head(size + 1)]]) {
      const overLimit = new BufferedReader(source(parts), 16);
      assert.equal(await overLimit.readHead(size), "too-large");
    }
    // No blank line at all: too large once past the limit, without reading on for ever.
    const endless = source(Array.from({ length: 1000 }, () => "a".repeat(size)));
    assert.equal(await new BufferedReader(endless, 16).readHead(size), "too-large");
    assert.ok(endless.reads < 10, `read ${endless.reads} times`);
  }
});

Deno.test("readHead: pipelined heads after a consumed head are each found in turn", async () => {
  const heads = Array.from({ length: 20 }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
  const reader = new BufferedReader(source([heads.join("")]), 64);
  for (const head of heads) assert.equal(await headText(reader), head);
  assert.equal(await reader.readHead(1024), "end");
});

Deno.test("readInto: bytes from the buffer, then straight from the source", async () => {
  const reader = new BufferedReader(source([HEAD + "he", "l", "lo", "GET"]));
  await headText(reader);
  assert.equal(reader.buffered, 2);
  const body = new Uint8Array(5);
  assert.equal(await reader.readInto(body), true);
  assert.equal(decoder.decode(body), "hello");
  assert.equal(reader.buffered, 0);
  const rest = new Uint8Array(3);
  assert.equal(await reader.readInto(rest), true);
  assert.equal(decoder.decode(rest), "GET");
  // Less than asked for before the end: false, and false again after.
  assert.equal(await reader.readInto(new Uint8Array(1)), false);
  assert.equal(await reader.readInto(new Uint8Array(1)), false);
});

Deno.test("readInto: a target smaller than what is buffered leaves the rest", async () => {
  const reader = new BufferedReader(source([HEAD + "hello" + HEAD]));
  await headText(reader);
  const body = new Uint8Array(5);
  assert.equal(await reader.readInto(body), true);
  assert.equal(decoder.decode(body), "hello");
  assert.equal(await headText(reader), HEAD);
  assert.equal(await reader.readInto(new Uint8Array(0)), true);
});

Deno.test("readInto: the peer closing mid-body is false", async () => {
  const reader = new BufferedReader(source([HEAD + "he", "l"]));
  await headText(reader);
  assert.equal(await reader.readInto(new Uint8Array(5)), false);
});

Deno.test("readLine: CRLF or LF, lines of exactly maxBytes, one more is too large", async () => {
  const reader = new BufferedReader(oneByteAtATime("12345\r\n12345\n\r\n\n"), 4);
  assert.equal(await reader.readLine(5), "12345");
  assert.equal(await reader.readLine(5), "12345");
  assert.equal(await reader.readLine(0), "");
  assert.equal(await reader.readLine(0), "");
  assert.equal(await reader.readLine(5), "end");
  for (const text of ["123456\r\n", "123456\n", "1234567890", "12345\r6\n"]) {
    for (const parts of [[text], [...text]]) {
      assert.equal(await new BufferedReader(source(parts), 4).readLine(5), "too-large", text);
    }
  }
  // readLine(0) is how the server checks that a chunk's data ends where its size said.
  assert.equal(await new BufferedReader(source(["x\r\n"])).readLine(0), "too-large");
  assert.equal(await new BufferedReader(source(["\r"])).readLine(0), "end");
});

Deno.test("readLine: an unterminated line does not read on for ever", async () => {
  const endless = source(Array.from({ length: 1000 }, () => "f".repeat(100)));
  assert.equal(await new BufferedReader(endless, 16).readLine(4096), "too-large");
  assert.ok(endless.reads < 100, `read ${endless.reads} times`);
});

Deno.test("readSome: at most length, from the buffer or one read; null at the end", async () => {
  const reader = new BufferedReader(source(["abcdef", "gh"]));
  assert.equal(decoder.decode((await reader.readSome(4))!), "abcd");
  assert.equal(decoder.decode((await reader.readSome(4))!), "ef");
  assert.equal(decoder.decode((await reader.readSome(4))!), "gh");
  assert.equal(await reader.readSome(4), null);
});
