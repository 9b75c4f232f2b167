import assert from "node:assert/strict";
import { createGzip, deflateRawSync, deflateSync, gzipSync, zstdCompressSync } from "node:zlib";
import { decompressOtlpBody } from "./decompress_otlp_body.ts";

const text = new TextEncoder().encode("hello OTLP ".repeat(100));

/** gzip of `size` zero bytes, compressed as a stream so the input never exists in memory. */
async function gzipOfZeros(size: number): Promise<Uint8Array> {
  const gzip = createGzip({ level: 6 });
  const chunks: Uint8Array[] = [];
  gzip.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  const ended = new Promise((resolve) => gzip.on("end", resolve));
  const zeros = new Uint8Array(1 << 20);
  for (let written = 0; written < size; written += zeros.byteLength) {
    if (!gzip.write(zeros.subarray(0, Math.min(zeros.byteLength, size - written)))) {
      await new Promise((resolve) => gzip.once("drain", resolve));
    }
  }
  gzip.end();
  await ended;
  return concat(chunks);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

Deno.test("decompressOtlpBody passes identity bodies through under every spelling", async () => {
  for (const coding of [null, "", "identity", "IDENTITY", " none "]) {
    const result = await decompressOtlpBody(text, coding, 1 << 20);
    assert.ok(result.ok, `coding ${coding}`);
    assert.equal(result.bytes, text);
  }
});

Deno.test("decompressOtlpBody undoes gzip, x-gzip, deflate (zlib and raw) and zstd", async () => {
  const cases: [string, Uint8Array][] = [
    ["gzip", gzipSync(text)],
    ["GZip", gzipSync(text)],
    ["x-gzip", gzipSync(text)],
    ["deflate", deflateSync(text)],
    ["deflate", deflateRawSync(text)],
    ["zstd", zstdCompressSync(text)],
  ];
  for (const [coding, body] of cases) {
    const result = await decompressOtlpBody(body, coding, 1 << 20);
    assert.ok(result.ok, `${coding}: ${!result.ok && result.message}`);
    assert.deepEqual(result.bytes, text);
    assert.equal(Object.getPrototypeOf(result.bytes), Uint8Array.prototype, "not a Buffer");
  }
});

Deno.test("decompressOtlpBody reads concatenated gzip members", async () => {
  const body = concat([gzipSync("abc"), gzipSync("def")]);
  const result = await decompressOtlpBody(body, "gzip", 100);
  assert.ok(result.ok);
  assert.equal(new TextDecoder().decode(result.bytes), "abcdef");
});

Deno.test("decompressOtlpBody refuses an unknown coding with 415", async () => {
  for (const coding of ["br", "gzip, identity", "snappy", "toString", "__proto__"]) {
    const result = await decompressOtlpBody(gzipSync(text), coding, 1 << 20);
    assert.ok(!result.ok);
    assert.equal(result.status, 415, coding);
    assert.match(result.message, /^Unsupported Content-Encoding ".*": use gzip/);
  }
});

Deno.test("decompressOtlpBody refuses corrupt and truncated data with 400", async () => {
  const gzipped = gzipSync(text);
  const cases: [string, Uint8Array][] = [
    ["gzip", gzipped.subarray(0, gzipped.byteLength - 5)],
    ["gzip", gzipped.subarray(0, 12)],
    ["gzip", text],
    ["gzip", concat([gzipped, new TextEncoder().encode("garbage!")])],
    ["deflate", deflateSync(text).subarray(0, 20)],
    ["zstd", text],
  ];
  for (const [coding, body] of cases) {
    const result = await decompressOtlpBody(body, coding, 1 << 20);
    assert.ok(!result.ok);
    assert.equal(result.status, 400);
    assert.match(result.message, new RegExp(`^Cannot decompress ${coding} body: .+`));
  }
});

Deno.test("decompressOtlpBody treats an empty body as empty whatever the coding", async () => {
  for (const coding of ["gzip", "deflate", "zstd"]) {
    const result = await decompressOtlpBody(new Uint8Array(0), coding, 0);
    assert.ok(result.ok);
    assert.equal(result.bytes.byteLength, 0);
  }
});

Deno.test("decompressOtlpBody accepts exactly maxBytes and refuses one byte more", async () => {
  const body = new Uint8Array(1000).fill(7);
  for (const coding of [null, "gzip", "deflate", "zstd"]) {
    const encoded = coding === "gzip"
      ? gzipSync(body)
      : coding === "deflate"
      ? deflateSync(body)
      : coding === "zstd"
      ? zstdCompressSync(body)
      : body;
    const atLimit = await decompressOtlpBody(encoded, coding, 1000);
    assert.ok(atLimit.ok, `${coding} at the limit`);
    assert.equal(atLimit.bytes.byteLength, 1000);
    const over = await decompressOtlpBody(encoded, coding, 999);
    assert.ok(!over.ok);
    assert.equal(over.status, 413, `${coding} over the limit`);
    assert.match(over.message, /^Request body is larger than the limit of 999 bytes/);
  }
});

Deno.test("decompressOtlpBody stops a 1 GiB gzip bomb just past the limit", async () => {
  const bomb = await gzipOfZeros(1 << 30);
  assert.ok(bomb.byteLength < 2 << 20, `the bomb is ${bomb.byteLength} bytes compressed`);
  const maxBytes = 4 << 20;
  const started = performance.now();
  const result = await decompressOtlpBody(bomb, "gzip", maxBytes);
  const elapsed = performance.now() - started;
  assert.ok(!result.ok);
  assert.equal(result.status, 413);
  assert.match(result.message, /after decompression/);
  // It inflated one 64 KiB chunk past the limit, not the gibibyte.
  assert.ok(result.producedBytes! <= maxBytes + 64 * 1024, `${result.producedBytes} bytes`);
  assert.ok(elapsed < 5_000, `${elapsed} ms`);
});

Deno.test("decompressOtlpBody refuses a negative or NaN limit as a programming error", async () => {
  await assert.rejects(() => decompressOtlpBody(text, null, -1), RangeError);
  await assert.rejects(() => decompressOtlpBody(text, null, NaN), RangeError);
});
