import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { Code, ConnectError } from "@connectrpc/connect";
import { rpcCompressions } from "./rpc_compressions.ts";

const [gzip, brotli] = rpcCompressions;

async function refusal(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConnectError, String(error));
    return error;
  }
  assert.fail("expected a ConnectError");
}

Deno.test("gzip and br: what is compressed comes back", async () => {
  const message = new TextEncoder().encode("an OTLP message ".repeat(1000));
  for (const compression of [gzip, brotli]) {
    const packed = await compression.compress(message);
    assert.ok(packed.length < message.length, compression.name);
    assert.deepEqual(await compression.decompress(packed, message.length), message);
  }
});

Deno.test("a gzip bomb past readMaxBytes is resource_exhausted; corrupt data invalid_argument", async () => {
  const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
  const tooLarge = await refusal(gzip.decompress(new Uint8Array(bomb), 1024 * 1024));
  assert.equal(tooLarge.code, Code.ResourceExhausted);
  assert.match(tooLarge.message, /larger than configured readMaxBytes 1048576/);
  const corrupt = await refusal(gzip.decompress(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]), 100));
  assert.equal(corrupt.code, Code.InvalidArgument);
});

Deno.test("br past readMaxBytes is resource_exhausted", async () => {
  const packed = await brotli.compress(new Uint8Array(4 * 1024 * 1024));
  const tooLarge = await refusal(brotli.decompress(packed, 1024));
  assert.equal(tooLarge.code, Code.ResourceExhausted);
});
