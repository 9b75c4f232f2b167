import assert from "node:assert/strict";
import { createGzip, deflateRawSync, deflateSync, gzipSync, zstdCompressSync } from "node:zlib";
import { concatBytes } from "../bytes/concat_bytes.ts";
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
  return concatBytes(chunks);
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
  const body = concatBytes([gzipSync("abc"), gzipSync("def")]);
  const result = await decompressOtlpBody(body, "gzip", 100);
  assert.ok(result.ok);
  assert.equal(new TextDecoder().decode(result.bytes), "abcdef");
});

Deno.test("decompressOtlpBody reads large gzip members whose ends fall mid-write", async () => {
  // Incompressible members larger than one write, so each member's end must be found inside one.
  const random = (n: number) => {
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    return bytes;
  };
  const first = random(100_000);
  const second = random(70_001);
  const body = concatBytes([gzipSync(first), gzipSync(new Uint8Array(0)), gzipSync(second)]);
  const result = await decompressOtlpBody(body, "gzip", 16 << 20);
  assert.ok(result.ok, !result.ok ? result.message : "");
  assert.deepEqual(result.bytes, concatBytes([first, second]));
});

Deno.test("decompressOtlpBody counts the limit across gzip members", async () => {
  const body = concatBytes([gzipSync(new Uint8Array(600)), gzipSync(new Uint8Array(600))]);
  assert.ok((await decompressOtlpBody(body, "gzip", 1200)).ok);
  const over = await decompressOtlpBody(body, "gzip", 1199);
  assert.ok(!over.ok);
  assert.equal(over.status, 413);
});

Deno.test("decompressOtlpBody treats what follows a gzip member as zlib does", async () => {
  const member = gzipSync("abc");
  const cases: [string, Uint8Array, string][] = [
    ["zero padding", concatBytes([member, new Uint8Array(8)]), "ok abc"],
    [
      "a zero, then anything",
      concatBytes([member, new Uint8Array([0, 1, 2, 3]), member]),
      "ok abc",
    ],
    ["garbage", concatBytes([member, new TextEncoder().encode("xy")]), "incorrect header check"],
    ["a cut-off member", concatBytes([member, member.subarray(0, 12)]), "unexpected end of file"],
    [
      "the magic bytes alone",
      concatBytes([member, new Uint8Array([0x1f, 0x8b])]),
      "unexpected end of file",
    ],
  ];
  for (const [name, body, expected] of cases) {
    const result = await decompressOtlpBody(body, "gzip", 100);
    const got = result.ok
      ? `ok ${new TextDecoder().decode(result.bytes)}`
      : result.message.replace("Cannot decompress gzip body: ", "");
    assert.equal(got, expected, name);
  }
});

Deno.test("decompressOtlpBody names what is wrong with a gzip member's trailer", async () => {
  const gzipped = gzipSync(text);
  const flip = (at: number) => {
    const copy = new Uint8Array(gzipped); // a copy (Buffer's slice() would share memory)
    copy[copy.byteLength + at] ^= 1;
    return copy;
  };
  const cases: [Uint8Array, string][] = [
    [flip(-6), "incorrect data check"],
    [flip(-2), "incorrect length check"],
    [gzipped.subarray(0, gzipped.byteLength - 3), "unexpected end of file"],
  ];
  for (const [body, reason] of cases) {
    const result = await decompressOtlpBody(body, "gzip", 1 << 20);
    assert.ok(!result.ok);
    assert.equal(result.message, `Cannot decompress gzip body: ${reason}`);
  }
});

Deno.test("decompressOtlpBody ignores what follows a deflate stream and refuses a cut one", async () => {
  const garbage = new TextEncoder().encode("garbage!");
  for (const deflated of [deflateSync(text), deflateRawSync(text)]) {
    const followed = await decompressOtlpBody(concatBytes([deflated, garbage]), "deflate", 1 << 20);
    assert.ok(followed.ok);
    assert.deepEqual(followed.bytes, text);
    for (const cut of [1, 2, 5]) {
      const body = deflated.subarray(0, deflated.byteLength - cut);
      const result = await decompressOtlpBody(body, "deflate", 1 << 20);
      assert.ok(!result.ok, `cut ${cut}`);
      assert.equal(result.status, 400);
    }
  }
  const cut = await decompressOtlpBody(deflateRawSync(text).subarray(0, 20), "deflate", 1 << 20);
  assert.ok(!cut.ok);
  assert.equal(cut.message, "Cannot decompress deflate body: unexpected end of file");
});

Deno.test("decompressOtlpBody stops a raw deflate bomb just past the limit", async () => {
  const bomb = deflateRawSync(new Uint8Array(256 << 20));
  const result = await decompressOtlpBody(bomb, "deflate", 1 << 20);
  assert.ok(!result.ok);
  assert.equal(result.status, 413);
  assert.ok(result.producedBytes! <= (1 << 20) + 64 * 1024, `${result.producedBytes} bytes`);
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
    ["gzip", concatBytes([gzipped, new TextEncoder().encode("garbage!")])],
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
