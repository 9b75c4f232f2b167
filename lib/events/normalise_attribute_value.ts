/**
 * Normalises OTLP attribute values to the JSON types Beacon's events promise. Harnesses send the
 * same attribute as a string in one place and as a number or boolean in another (Codex:
 * `duration_ms: "204"`, `success: "true"`, `cached_token_count: 615`).
 *
 * @module
 */
import type { FlatValue } from "../otlp/flatten_any_value.ts";

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number from a number or a decimal string (surrounding spaces allowed); `undefined` for
 * anything else, including NaN and the infinities. Integers beyond 2^53 lose precision.
 *
 * @example
 * ```ts
 * normaliseNumber("1230"); // 1230
 * normaliseNumber(615); // 615
 * normaliseNumber("n/a"); // undefined
 * ```
 */
export function normaliseNumber(value: FlatValue | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const digits = smallDigitsValue(value);
  if (digits !== undefined) return digits;
  const text = value.trim();
  if (!DECIMAL.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * The value of a string of 1 to 15 ASCII digits and nothing else (what Codex sends as counts),
 * else undefined. Such a string matches DECIMAL, and below 10^15 the exact integer is what
 * `Number` gives too.
 */
function smallDigitsValue(text: string): number | undefined {
  const length = text.length;
  if (length === 0 || length > 15) return undefined;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A count (a non-negative safe integer) from a number or a decimal string; `undefined` for
 * anything else, including fractions and negative numbers.
 *
 * @example
 * ```ts
 * normaliseCount("76"); // 76
 * normaliseCount(-1); // undefined
 * normaliseCount("1.5"); // undefined
 * ```
 */
export function normaliseCount(value: FlatValue | undefined): number | undefined {
  const number = normaliseNumber(value);
  return number !== undefined && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/**
 * A count that may pass 2^53 - 1, as OTLP int64 values can: a safe integer as a number, a larger
 * one as its decimal string (as Beacon writes other int64 fields), `undefined` for anything that
 * is not a non-negative integer. A double beyond 2^53 is written as the integer it holds.
 *
 * @example
 * ```ts
 * normaliseLargeCount("76"); // 76
 * normaliseLargeCount("18446744073709551615"); // "18446744073709551615"
 * normaliseLargeCount(1e20); // "100000000000000000000"
 * normaliseLargeCount("-3"); // undefined
 * ```
 */
export function normaliseLargeCount(value: FlatValue | undefined): number | string | undefined {
  const safe = normaliseCount(value);
  if (safe !== undefined) return safe;
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 ? BigInt(value).toString() : undefined;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim().replace(/^\+/, "");
  if (!/^\d{1,40}$/.test(text)) return undefined;
  const canonical = BigInt(text);
  return canonical <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(canonical) : canonical.toString();
}

/**
 * A boolean from a boolean or the strings `true` / `false` (any case, surrounding spaces
 * allowed); `undefined` for anything else.
 *
 * @example
 * ```ts
 * normaliseBoolean("true"); // true
 * normaliseBoolean(false); // false
 * normaliseBoolean("yes"); // undefined
 * ```
 */
export function normaliseBoolean(value: FlatValue | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  return text === "true" ? true : text === "false" ? false : undefined;
}

/**
 * A string from a string, number or boolean (numbers and booleans in their JSON form);
 * `undefined` for null, arrays, objects and, unless `allowEmpty`, the empty string.
 *
 * @example
 * ```ts
 * normaliseString("exec_command"); // "exec_command"
 * normaliseString(7); // "7"
 * normaliseString(""); // undefined
 * ```
 */
export function normaliseString(
  value: FlatValue | undefined,
  options?: { allowEmpty?: boolean },
): string | undefined {
  if (typeof value === "string") return value === "" && !options?.allowEmpty ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * A name in snake_case: `AutomatedReviewer` -> `automated_reviewer`, `ApprovedForSession` ->
 * `approved_for_session`, `on-request` stays `on-request`, `Config` -> `config`.
 *
 * @example
 * ```ts
 * toSnakeCase("AutomatedReviewer"); // "automated_reviewer"
 * ```
 */
export function toSnakeCase(name: string): string {
  // Without an upper-case ASCII letter after the first character neither replacement below
  // matches (both need one), so only the lower-casing is left.
  let upperAfterFirst = false;
  for (let i = 1; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) {
      upperAfterFirst = true;
      break;
    }
  }
  if (!upperAfterFirst) return name.toLowerCase();
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
