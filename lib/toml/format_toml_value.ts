import { isTomlTable, type TomlValue } from "./toml_value.ts";

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A key as written in TOML: bare when it can be, otherwise a basic string. */
export function formatTomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : formatTomlString(key);
}

/** A dotted key, e.g. `exporter."otlp-http".endpoint`. */
export function formatTomlDottedKey(path: readonly string[]): string {
  return path.map(formatTomlKey).join(".");
}

/**
 * A value written inline, on one line: strings as basic strings, tables as inline tables
 * (`{ a = 1, b = "x" }`), arrays as `[1, 2]`.
 */
export function formatTomlValue(value: TomlValue): string {
  if (typeof value === "string") return formatTomlString(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number") return formatTomlNumber(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(formatTomlValue).join(", ")}]`;
  if (isTomlTable(value)) {
    const entries = Object.entries(value).map(([key, item]) =>
      `${formatTomlKey(key)} = ${formatTomlValue(item)}`
    );
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  throw new TypeError(`Cannot write ${typeof value} as a TOML value`);
}

function formatTomlNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  return String(value);
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\f": "\\f",
  "\r": "\\r",
};

function formatTomlString(value: string): string {
  const escaped = value.replace(
    // deno-lint-ignore no-control-regex
    /["\\\x00-\x1f\x7f]/g,
    (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `"${escaped}"`;
}
