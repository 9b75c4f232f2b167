import assert from "node:assert/strict";
import fc from "fast-check";
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

/** eventTime's general path for a timestamp: RFC 3339 checked, fraction cut, Date.parse. */
function parsedTimestamp(value: string): string | undefined {
  const rfc3339 =
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
  if (!rfc3339.test(value.trim())) return undefined;
  const ms = Date.parse(value.trim().replace(/(\.\d{3})\d+/, "$1").replace(" ", "T"));
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

Deno.test("property: canonical UTC timestamps take a shortcut to the same time", () => {
  const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
  const timestamp = fc.tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }),
      fc.constantFrom(0, 1600, 1900, 2000, 2024, 2026, 2100, 9999),
    ).map((year) => String(year).padStart(4, "0")),
    two(13),
    two(32),
    fc.constantFrom("T", "T", "t", " ", "X"),
    two(25),
    two(61),
    two(61),
    fc.oneof(
      fc.constant(""),
      fc.constant("."),
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 12 })
        .map((digits) => `.${digits}`),
      fc.constantFrom(".5a", ".12 ", ".1e3"),
    ),
    fc.constantFrom("Z", "Z", "z", "+00:00", "-01:30", "", "Z ", "ZZ"),
  ).map(([y, mo, d, t, h, mi, s, fraction, zone]) =>
    `${y}-${mo}-${d}${t}${h}:${mi}:${s}${fraction}${zone}`
  );
  fc.assert(
    fc.property(timestamp, (value) => {
      const expected = parsedTimestamp(value) ?? RECEIVED_AT.toISOString();
      assert.equal(eventTime({ timestamp: value, receivedAt: RECEIVED_AT }), expected, value);
    }),
    { numRuns: 5000 },
  );
  for (
    const value of [
      "2024-02-29T00:00:00.000Z",
      "2026-02-29T00:00:00.000Z",
      "1900-02-29T12:00:00Z",
      "2000-02-29T12:00:00.1Z",
      "2026-04-31T00:00:00.000Z",
      "2026-01-01T24:00:00.000Z",
      "2026-01-01T23:59:60.000Z",
      "0000-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999999Z",
      "2026-11-25T11:42:42.Z",
      "2026-11-25T11:42:42.1234Z",
      "٢٠٢٦-11-25T11:42:42.500Z",
    ]
  ) {
    const expected = parsedTimestamp(value) ?? RECEIVED_AT.toISOString();
    assert.equal(eventTime({ timestamp: value, receivedAt: RECEIVED_AT }), expected, value);
  }
});
