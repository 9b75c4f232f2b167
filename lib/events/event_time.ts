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
  const timestamp = sources.timestamp;
  if (typeof timestamp === "string") {
    const canonical = canonicalUtcTime(timestamp);
    if (canonical !== undefined) return canonical;
  }
  const ms = timestampMs(timestamp) ??
    unixNanoMs(sources.observedTimeUnixNano) ??
    unixNanoMs(sources.timeUnixNano);
  return new Date(ms ?? sources.receivedAt.getTime()).toISOString();
}

/**
 * The fast path of {@link eventTime} for what Codex sends: `YYYY-MM-DDTHH:MM:SS` in UTC (`Z`)
 * with no fraction or a fraction of one or more digits, every field in range (a real day of the
 * month, hours 00-23, seconds 00-59). Such a time is already what `toISOString` would give back
 * once the fraction is cut or padded to three digits, so no Date is needed. Anything else
 * (offsets, lower case, spaces, a day V8 would roll over, a leap second) gives undefined and
 * takes the general path.
 */
function canonicalUtcTime(text: string): string | undefined {
  const length = text.length;
  if (
    length < 20 || text.charCodeAt(length - 1) !== 0x5a /* Z */ ||
    text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || // -
    text.charCodeAt(10) !== 0x54 || // T
    text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a // :
  ) return undefined;
  const year = digitsValue(text, 0, 4);
  const month = digitsValue(text, 5, 7);
  const day = digitsValue(text, 8, 10);
  const hour = digitsValue(text, 11, 13);
  const minute = digitsValue(text, 14, 16);
  const second = digitsValue(text, 17, 19);
  if (
    year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
    hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
  ) return undefined;
  if (length === 20) return text.slice(0, 19) + ".000Z";
  // A fraction: a dot and at least one digit before the Z, cut or padded to milliseconds.
  if (length === 21 || text.charCodeAt(19) !== 0x2e /* . */) return undefined;
  for (let i = 20; i < length - 1; i++) {
    if (!isDigit(text.charCodeAt(i))) return undefined;
  }
  if (length === 24) return text;
  return text.slice(0, 20) + (text.slice(20, length - 1) + "00").slice(0, 3) + "Z";
}

/** The value of the ASCII digits from `start` to `end`, or -1 when one is not a digit. */
function digitsValue(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + code - 0x30;
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
