import assert from "node:assert/strict";
import { sendLoopbackRequest } from "./send_loopback_request.ts";

/** 120,000 bytes: more than one socket read, so the answer arrives in several chunks. */
const BODY = Uint8Array.from({ length: 120_000 }, (_, i) => (i * 13 + (i >>> 9)) & 0xff);

async function withServer(fn: (url: URL) => Promise<void>): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(BODY, { headers: { "content-type": "application/octet-stream" } }),
  );
  try {
    await fn(new URL(`http://127.0.0.1:${server.addr.port}/health`));
  } finally {
    await server.shutdown();
  }
}

const options = { method: "GET", headers: {}, timeoutMs: 10_000 };

Deno.test("sendLoopbackRequest returns a body of many chunks whole", async () => {
  await withServer(async (url) => {
    const result = await sendLoopbackRequest(url, { ...options, maxBytes: BODY.byteLength });
    assert.ok(result.ok);
    assert.equal(result.status, 200);
    assert.equal(result.body.byteLength, BODY.byteLength);
    assert.ok(result.body.every((byte, i) => byte === BODY[i]), "the bytes, in order");
  });
});

Deno.test("sendLoopbackRequest gives an empty body for an answer over maxBytes", async () => {
  await withServer(async (url) => {
    const result = await sendLoopbackRequest(url, { ...options, maxBytes: BODY.byteLength - 1 });
    assert.ok(result.ok);
    assert.equal(result.status, 200);
    assert.equal(result.body.byteLength, 0);
  });
});
