import { isTomlTable, type TomlTable, type TomlValue } from "./toml_value.ts";

/** The value at `path` inside `table`, or undefined when any part of the path is missing. */
export function getTomlValue(table: TomlTable, path: readonly string[]): TomlValue | undefined {
  let current: TomlValue | undefined = table;
  for (const key of path) {
    if (!isTomlTable(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}
