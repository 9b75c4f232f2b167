/**
 * JSON for data holding TOML values (plans, Beacon's state): integers beyond 2^53 are bigints,
 * which JSON cannot hold, so they are written as `{ "$bigint": "12345678901234567890" }` and
 * read back as bigints. Every file Beacon writes with TOML values in it uses this one encoding.
 */

/** `JSON.stringify` with bigints encoded. */
export function stringifyTomlJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, item) => typeof item === "bigint" ? { $bigint: String(item) } : item,
    space,
  );
}

/** `JSON.parse` with encoded bigints decoded. Throws as `JSON.parse` does. */
export function parseTomlJson(text: string): unknown {
  return JSON.parse(
    text,
    (_key, item) =>
      item && typeof item === "object" && typeof item.$bigint === "string"
        ? BigInt(item.$bigint)
        : item,
  );
}
