import type { TomlValue } from "./toml_value.ts";

/**
 * Deep equality of two TOML values (either may be absent). Table key order does not matter;
 * array order does. Dates compare by instant. Iterative, so a value nested however deep cannot
 * overflow the stack.
 *
 * @example
 * ```ts
 * tomlValuesEqual({ a: 1, b: [2n] }, { b: [2], a: 1 }); // true
 * ```
 */
export function tomlValuesEqual(a: TomlValue | undefined, b: TomlValue | undefined): boolean {
  const pending: [TomlValue | undefined, TomlValue | undefined][] = [[a, b]];
  while (pending.length) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (x === undefined || y === undefined || x === null || y === null) return false;
    if (typeof x !== "object" || typeof y !== "object") {
      // 1 and 1n are the same TOML integer.
      if ((typeof x === "bigint" || typeof y === "bigint") && String(x) === String(y)) continue;
      return false;
    }
    if (x instanceof Date || y instanceof Date) {
      if (x instanceof Date && y instanceof Date && x.getTime() === y.getTime()) continue;
      return false;
    }
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push([x[i], y[i]]);
      continue;
    }
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      pending.push([x[key], y[key]]);
    }
  }
  return true;
}
