import type { FlatValue } from "../otlp/flatten_any_value.ts";

/** Where an event's time may come from, best first. */
export interface EventTimeSources {
  /** The source's own timestamp attribute (Codex: `event.timestamp`, RFC 3339). */
  timestamp?: FlatValue;
  /** OTLP `observedTimeUnixNano` (0 when unset). */
  observedTimeUnixNano?: bigint | string;
  /** OTLP `timeUnixNano` (0 when unset; Codex never sets it on logs). */
  timeUnixNano?: bigint | string;
  /** When the collector received the request: the last resort. */
  receivedAt: Date;
}

// The largest time a Date can hold, in Unix milliseconds.
const MAX_DATE_MS = 8.64e15;

/**
 * An event's time as RFC 3339 in UTC with milliseconds (`2026-11-25T11:42:42.500Z`), from the
 * first usable source: the timestamp attribute (an RFC 3339 string), then
 * `observedTimeUnixNano`, then `timeUnixNano`, then `receivedAt`. Zero, unparsable and
 * out-of-range values are skipped; sub-millisecond digits are cut, not rounded.
 *
 * @example
 * ```ts
 * eventTime({ timestamp: "2026-11-25T11:42:42.500Z", receivedAt: new Date(0) });
 * // "2026-11-25T11:42:42.500Z"
 * eventTime({ observedTimeUnixNano: 1795606962500140384n, receivedAt: new Date(0) });
 * // "2026-11-25T11:42:42.500Z"
 * ```
 */
export function eventTime(sources: EventTimeSources): string {
  const ms = timestampMs(sources.timestamp) ??
    unixNanoMs(sources.observedTimeUnixNano) ??
    unixNanoMs(sources.timeUnixNano);
  return new Date(ms ?? sources.receivedAt.getTime()).toISOString();
}

// YYYY-MM-DDTHH:MM(:SS(.fraction)?)? with Z or an offset: what RFC 3339 allows (plus a space).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

function timestampMs(value: FlatValue | undefined): number | undefined {
  if (typeof value !== "string" || !RFC3339.test(value.trim())) return undefined;
  // Date.parse only promises three fraction digits: cut the rest before parsing.
  const text = value.trim().replace(/(\.\d{3})\d+/, "$1").replace(" ", "T");
  const ms = Date.parse(text);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

function unixNanoMs(value: bigint | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let nanos: bigint;
  try {
    nanos = typeof value === "bigint" ? value : BigInt(value);
  } catch {
    return undefined;
  }
  if (nanos <= 0n) return undefined;
  const ms = Number(nanos / 1_000_000n);
  return ms <= MAX_DATE_MS ? ms : undefined;
}
