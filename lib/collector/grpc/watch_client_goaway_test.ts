import assert from "node:assert/strict";
import { watchClientGoaway } from "./watch_client_goaway.ts";
import {
  CLIENT_PREFACE,
  concatBytes,
  emptyMessageDataFrame,
  exportHeadersFrame,
  goawayFrame,
  settingsFrame,
} from "../../../tests/collector_grpc/support/http2_frames.ts";

/** A DATA frame of `length` bytes on `streamId`. */
function dataFrame(streamId: number, length: number): Uint8Array {
  const bytes = new Uint8Array(9 + length).fill(0x07, 9); // payload bytes that look like GOAWAY
  bytes.set([length >>> 16, (length >>> 8) & 0xff, length & 0xff, 0x0, 0x0]);
  new DataView(bytes.buffer).setUint32(5, streamId);
  return bytes;
}

/** A GOAWAY with debug data, as grpc-go sends on conn.Close(). */
function goawayWithDebugData(lastStreamId: number, errorCode: number, debug: string) {
  const text = new TextEncoder().encode(debug);
  const plain = goawayFrame(lastStreamId, errorCode);
  const bytes = concatBytes(plain, text);
  bytes[2] = 8 + text.length;
  return bytes;
}

/** What grpc-go sends on a connection with two calls, then its close. */
const GO_CONNECTION = concatBytes(
  CLIENT_PREFACE,
  settingsFrame(),
  exportHeadersFrame(1),
  dataFrame(1, 20_000),
  emptyMessageDataFrame(1),
  exportHeadersFrame(3),
  emptyMessageDataFrame(3),
  goawayWithDebugData(3, 0, "client transport shutdown"),
);

function watch(chunks: Uint8Array[]) {
  const watcher = watchClientGoaway();
  for (const chunk of chunks) watcher.push(chunk);
  return watcher.goaways();
}

Deno.test("watchClientGoaway finds the client's GOAWAY however the bytes are split", () => {
  const expected = [{ lastStreamId: 3, errorCode: 0 }];
  assert.deepEqual(watch([GO_CONNECTION]), expected);
  const oneByOne = [...GO_CONNECTION].map((byte) => Uint8Array.of(byte));
  assert.deepEqual(watch(oneByOne), expected);
  for (let seed = 1; seed <= 200; seed++) {
    const chunks: Uint8Array[] = [];
    let state = seed;
    for (let offset = 0; offset < GO_CONNECTION.length;) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      const size = 1 + (state % 40);
      chunks.push(GO_CONNECTION.subarray(offset, offset + size));
      offset += size;
    }
    assert.deepEqual(watch(chunks), expected, `split ${seed}`);
  }
});

Deno.test("watchClientGoaway sees no GOAWAY in payloads or before the frames start", () => {
  // The payload bytes of the DATA frame and the preface are never read as frame headers.
  const withoutGoaway = GO_CONNECTION.subarray(0, GO_CONNECTION.length - 42);
  assert.deepEqual(watch([withoutGoaway]), []);
  assert.deepEqual(watch([CLIENT_PREFACE.subarray(0, 10)]), []);
});

Deno.test("watchClientGoaway keeps the error code and the last stream id, and at most four", () => {
  const goaways = watch([
    concatBytes(CLIENT_PREFACE, goawayFrame(0, 0), goawayFrame(5, 2)),
  ]);
  assert.deepEqual(goaways, [{ lastStreamId: 0, errorCode: 0 }, { lastStreamId: 5, errorCode: 2 }]);
  const many = watch([concatBytes(CLIENT_PREFACE, ...Array(10).fill(goawayFrame(1, 0)))]);
  assert.equal(many.length, 4);
});

Deno.test("watchClientGoaway stops at a GOAWAY too short to hold its fields", () => {
  const short = Uint8Array.of(0, 0, 4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  assert.deepEqual(watch([concatBytes(CLIENT_PREFACE, short, goawayFrame(1, 0))]), []);
});
