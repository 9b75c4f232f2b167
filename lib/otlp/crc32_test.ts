import assert from "node:assert/strict";
import { crc32 } from "./crc32.ts";

Deno.test("crc32 gives the standard check value, whatever the chunking", () => {
  const digits = new TextEncoder().encode("123456789");
  assert.equal(crc32([digits]), 0xcbf43926);
  assert.equal(crc32([digits.subarray(0, 4), new Uint8Array(0), digits.subarray(4)]), 0xcbf43926);
  assert.equal(crc32([]), 0);
});
