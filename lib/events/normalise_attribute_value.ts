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
  if (typeof value !== "string" || !DECIMAL.test(value.trim())) return undefined;
  const number = Number(value.trim());
  return Number.isFinite(number) ? number : undefined;
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
  options: { allowEmpty?: boolean } = {},
): string | undefined {
  let text: string | undefined;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  if (text === "" && !options.allowEmpty) return undefined;
  return text;
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
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}
