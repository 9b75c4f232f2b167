/**
 * Reads the frame headers a client sends on an HTTP/2 connection (server side) and remembers the
 * GOAWAY frames among them, so a session error can be put down to the client's own close.
 *
 * @module
 */

/** A GOAWAY frame a client sent. */
export interface ClientGoaway {
  /** The Last-Stream-ID field. */
  lastStreamId: number;
  /** The error code (0: NO_ERROR, a normal close). */
  errorCode: number;
}

/** What {@linkcode watchClientGoaway} returns: feed it the bytes, ask what it saw. */
export interface ClientGoawayWatcher {
  /** The next bytes the client sent, in order (any split: a frame may span several chunks). */
  push(bytes: Uint8Array): void;
  /** The GOAWAY frames the client sent so far, oldest first (at most a few are kept). */
  goaways(): readonly ClientGoaway[];
}

/** The client connection preface (RFC 9113 section 3.4), 24 bytes before the first frame. */
const PREFACE_LENGTH = 24;
const FRAME_HEADER_LENGTH = 9;
const FRAME_GOAWAY = 0x7;
/** The part of a GOAWAY payload read: Last-Stream-ID and the error code. */
const GOAWAY_FIELDS_LENGTH = 8;
/** A client sends one GOAWAY, maybe two; more are not kept (a hostile client sends many). */
const MAX_GOAWAYS_KEPT = 4;

/**
 * A watcher of one connection's client-to-server bytes. It reads only frame headers (and the
 * first 8 bytes of a GOAWAY) and skips every other payload without copying it. It does not check
 * the bytes (the server does that itself): it stops at a GOAWAY too short to hold its fields.
 *
 * Why: grpc-go (telemetrygen, the OpenTelemetry Go SDK) closes a connection with a GOAWAY whose
 * Last-Stream-ID is its own last stream (odd), where RFC 9113 section 6.8 asks for the last
 * stream the server initiated (0 here). nghttp2 refuses that frame as a PROTOCOL_ERROR, so a
 * normal close reaches the server as the session error "Protocol error"; what the client sent
 * tells that close from a real fault.
 *
 * @example
 * ```ts
 * import { watchClientGoaway } from "./watch_client_goaway.ts";
 *
 * const watcher = watchClientGoaway();
 * const preface = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
 * // GOAWAY, 8-byte payload: Last-Stream-ID 3, NO_ERROR.
 * const goaway = new Uint8Array([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0]);
 * watcher.push(preface);
 * watcher.push(goaway.subarray(0, 5));
 * watcher.push(goaway.subarray(5));
 * console.log(watcher.goaways()); // [{ lastStreamId: 3, errorCode: 0 }]
 * ```
 */
export function watchClientGoaway(): ClientGoawayWatcher {
  const goaways: ClientGoaway[] = [];
  let prefaceLeft = PREFACE_LENGTH;
  /** The frame header, or the GOAWAY fields, read so far. */
  const pending = new Uint8Array(FRAME_HEADER_LENGTH);
  let pendingLength = 0;
  /** What the next bytes are. */
  let reading: "header" | "goaway" | "skip" | "stopped" = "header";
  /** Bytes of the current payload not yet read or skipped. */
  let payloadLeft = 0;

  const onHeader = () => {
    const length = (pending[0] << 16) | (pending[1] << 8) | pending[2];
    const type = pending[3];
    pendingLength = 0;
    payloadLeft = length;
    if (type === FRAME_GOAWAY) {
      if (length < GOAWAY_FIELDS_LENGTH) {
        reading = "stopped"; // a malformed GOAWAY: the server reports that one itself
        return;
      }
      reading = "goaway";
    } else {
      reading = payloadLeft > 0 ? "skip" : "header";
    }
  };

  const onGoawayFields = () => {
    const view = new DataView(pending.buffer, 0, GOAWAY_FIELDS_LENGTH);
    if (goaways.length < MAX_GOAWAYS_KEPT) {
      goaways.push({
        lastStreamId: view.getUint32(0) & 0x7fffffff,
        errorCode: view.getUint32(4),
      });
    }
    pendingLength = 0;
    payloadLeft -= GOAWAY_FIELDS_LENGTH;
    reading = payloadLeft > 0 ? "skip" : "header";
  };

  return {
    push(bytes) {
      let offset = 0;
      if (prefaceLeft > 0) {
        const skipped = Math.min(prefaceLeft, bytes.length);
        prefaceLeft -= skipped;
        offset = skipped;
      }
      while (offset < bytes.length && reading !== "stopped") {
        if (reading === "skip") {
          const skipped = Math.min(payloadLeft, bytes.length - offset);
          payloadLeft -= skipped;
          offset += skipped;
          if (payloadLeft === 0) reading = "header";
          continue;
        }
        const want = reading === "header" ? FRAME_HEADER_LENGTH : GOAWAY_FIELDS_LENGTH;
        const taken = Math.min(want - pendingLength, bytes.length - offset);
        pending.set(bytes.subarray(offset, offset + taken), pendingLength);
        pendingLength += taken;
        offset += taken;
        if (pendingLength < want) break;
        if (reading === "header") onHeader();
        else onGoawayFields();
      }
    },
    goaways: () => goaways,
  };
}
