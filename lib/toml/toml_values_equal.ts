import type { TomlValue } from "./toml_value.ts";

/**
 * Deep equality of two TOML values (either may be absent). Table key order does not matter;
 * array order does. Dates compare by instant.
 */
export function tomlValuesEqual(a: TomlValue | undefined, b: TomlValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") {
    // 1 and 1n are the same TOML integer.
    return (typeof a === "bigint" || typeof b === "bigint") && String(a) === String(b);
  }
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, i) => tomlValuesEqual(item, b[i]));
  }
  const aTable = a as Record<string, TomlValue>;
  const bTable = b as Record<string, TomlValue>;
  const aKeys = Object.keys(aTable);
  if (aKeys.length !== Object.keys(bTable).length) return false;
  return aKeys.every((key) =>
    Object.hasOwn(bTable, key) && tomlValuesEqual(aTable[key], bTable[key])
  );
}
