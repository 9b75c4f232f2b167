/**
 * Quotes an HTTP header value for an error message: JSON-escaped (so control characters and
 * quotes stay visible and harmless) and cut after 40 characters.
 *
 * @example
 * ```ts
 * import { quoteHeaderValue } from "./quote_header_value.ts";
 * quoteHeaderValue("text/plain"); // '"text/plain"'
 * ```
 */
export function quoteHeaderValue(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
