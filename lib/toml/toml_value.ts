/** A TOML value as Beacon reads and writes it. Integers beyond 2^53 are bigints. */
export type TomlValue = string | number | bigint | boolean | Date | TomlValue[] | TomlTable;

/** A TOML table: a document, a `[table]`, a dotted-key table or an inline table. */
export interface TomlTable {
  [key: string]: TomlValue;
}

/** True for a table value (not an array, not a date). */
export function isTomlTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date);
}
