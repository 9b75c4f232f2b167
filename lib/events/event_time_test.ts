import assert from "node:assert/strict";
import { eventTime } from "./event_time.ts";

const RECEIVED_AT = new Date("2030-01-01T00:00:00Z");

Deno.test("eventTime: RFC 3339 timestamps are normalised to UTC with milliseconds", () => {
  const at = (timestamp: string) => eventTime({ timestamp, receivedAt: RECEIVED_AT });
  assert.equal(at("2026-11-25T11:42:42.500Z"), "2026-11-25T11:42:42.500Z");
  assert.equal(at("2026-11-25T11:42:42Z"), "2026-11-25T11:42:42.000Z");
  assert.equal(at("2026-11-25T11:42:42.123456789Z"), "2026-11-25T11:42:42.123Z");
  assert.equal(at("2026-11-25T12:42:42.5+01:00"), "2026-11-25T11:42:42.500Z");
  assert.equal(at(" 2026-11-25 11:42:42.500Z "), "2026-11-25T11:42:42.500Z");
});

Deno.test("eventTime: unusable timestamps fall through to the OTLP times, then the receive time", () => {
  const nanos = 1_795_606_962_500_140_384n;
  for (const timestamp of ["", "yesterday", "1795606962500", "2026-13-45T99:99:99Z", null, 5]) {
    assert.equal(
      eventTime({ timestamp, observedTimeUnixNano: nanos, receivedAt: RECEIVED_AT }),
      "2026-11-25T11:42:42.500Z",
      String(timestamp),
    );
  }
  assert.equal(
    eventTime({ observedTimeUnixNano: 0n, timeUnixNano: "1000000001", receivedAt: RECEIVED_AT }),
    "1970-01-01T00:00:01.000Z",
  );
  assert.equal(
    eventTime({ observedTimeUnixNano: "not a number", receivedAt: RECEIVED_AT }),
    "2030-01-01T00:00:00.000Z",
  );
  assert.equal(
    eventTime({ timeUnixNano: 10n ** 30n, receivedAt: RECEIVED_AT }),
    "2030-01-01T00:00:00.000Z",
  );
  assert.equal(
    eventTime({ timeUnixNano: -5n, receivedAt: RECEIVED_AT }),
    "2030-01-01T00:00:00.000Z",
  );
});
