import assert from "node:assert/strict";
import fc from "fast-check";
import { bytesToHex } from "./bytes_to_hex.ts";

Deno.test("bytesToHex writes two lowercase digits a byte", () => {
  assert.equal(bytesToHex(new Uint8Array(0)), "");
  assert.equal(bytesToHex(new Uint8Array([0])), "00");
  assert.equal(bytesToHex(new Uint8Array([0x0f, 0x10, 0xab, 0xff])), "0f10abff");
  // A W3C trace id and span id, as OTLP/JSON writes them.
  const traceId = new Uint8Array([
    0x4b,
    0xf9,
    0x2f,
    0x35,
    0x77,
    0xb3,
    0x4d,
    0xa6,
    0xa3,
    0xce,
    0x92,
    0x9d,
    0x0e,
    0x0e,
    0x47,
    0x36,
  ]);
  assert.equal(bytesToHex(traceId), "4bf92f3577b34da6a3ce929d0e0e4736");
  const spanId = new Uint8Array([0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]);
  assert.equal(bytesToHex(spanId), "00f067aa0ba902b7");
  assert.equal(bytesToHex(Uint8Array.from({ length: 256 }, (_, i) => i)).slice(-8), "fcfdfeff");
});

Deno.test("bytesToHex reads only the bytes a subarray views", () => {
  const backing = new Uint8Array([1, 2, 3, 4, 5]);
  assert.equal(bytesToHex(backing.subarray(1, 3)), "0203");
});

Deno.test("bytesToHex agrees with formatting each byte", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const naive = Array.from(bytes, (x) => x.toString(16).padStart(2, "0")).join("");
      assert.equal(bytesToHex(bytes), naive);
    }),
  );
});
