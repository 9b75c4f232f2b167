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
 * (`{ a = 1, b = "x" }`), arrays as `[1, 2]`. Iterative, so a value nested however deep cannot
 * overflow the stack.
 *
 * @example
 * ```ts
 * formatTomlValue({ "otlp-http": { endpoint: "http://127.0.0.1:4318/v1/logs" } });
 * // '{ otlp-http = { endpoint = "http://127.0.0.1:4318/v1/logs" } }'
 * ```
 */
export function formatTomlValue(value: TomlValue): string {
  const out: string[] = [];
  // What is left to write, last first: values, and the punctuation between them.
  const pending: (TomlValue | Punctuation)[] = [value];
  while (pending.length) {
    const item = pending.pop()!;
    if (item instanceof Punctuation) out.push(item.text);
    else if (typeof item === "string") out.push(formatTomlString(item));
    else if (typeof item === "boolean" || typeof item === "bigint") out.push(String(item));
    else if (typeof item === "number") out.push(formatTomlNumber(item));
    else if (item instanceof Date) out.push(item.toISOString());
    else if (Array.isArray(item)) {
      pending.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        pending.push(item[i]);
        if (i > 0) pending.push(COMMA);
      }
      pending.push(OPEN_ARRAY);
    } else if (isTomlTable(item)) {
      const keys = Object.keys(item);
      if (!keys.length) {
        out.push("{}");
        continue;
      }
      pending.push(CLOSE_TABLE);
      for (let i = keys.length - 1; i >= 0; i--) {
        pending.push(item[keys[i]], new Punctuation(`${formatTomlKey(keys[i])} = `));
        if (i > 0) pending.push(COMMA);
      }
      pending.push(OPEN_TABLE);
    } else {
      throw new TypeError(`Cannot write ${typeof item} as a TOML value`);
    }
  }
  return out.join("");
}

/** Text between values; a class, so no TOML value can be mistaken for it. */
class Punctuation {
  constructor(readonly text: string) {}
}
const OPEN_ARRAY = new Punctuation("[");
const CLOSE_ARRAY = new Punctuation("]");
const OPEN_TABLE = new Punctuation("{ ");
const CLOSE_TABLE = new Punctuation(" }");
const COMMA = new Punctuation(", ");

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
