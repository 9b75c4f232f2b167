import { parse, type ParseError, printParseErrorCode } from "jsonc-parser";
import type { TomlTable, TomlValue } from "../toml/toml_value.ts";

/** The largest settings file Beacon reads: real ones are a few kilobytes. */
export const JSON_SETTINGS_MAX_BYTES = 4 * 1024 * 1024;

/** Where and why a settings file failed to parse. Line and column start at 1. */
export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

/** The result of {@link parseJsonSettings}: the document's object or the first error. */
export type ParseJsonSettingsResult = { ok: true; value: TomlTable } | {
  ok: false;
  error: JsonSyntaxError;
};

/**
 * Parses a JSON settings file (Claude Code's `settings.json`) the way its owner reads it:
 * comments and trailing commas are tolerated, a leading BOM is skipped, and the top level must
 * be an object. Values come back as Beacon's setting values (the same shape the TOML side
 * diffs); `null` values are left out, since Beacon never writes one.
 *
 * @example
 * ```ts
 * import { parseJsonSettings } from "./parse_json_settings.ts";
 * parseJsonSettings('{ "env": { "A": "1" } // mine\n}');
 * // { ok: true, value: { env: { A: "1" } } }
 * parseJsonSettings('{ "env": }');
 * // { ok: false, error: { line: 1, column: 10, message: "ValueExpected" } }
 * ```
 */
export function parseJsonSettings(text: string): ParseJsonSettingsResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") return { ok: true, value: {} };
  const errors: ParseError[] = [];
  const value = parse(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const first = errors[0];
    return {
      ok: false,
      error: { ...lineAndColumn(body, first.offset), message: printParseErrorCode(first.error) },
    };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      error: { line: 1, column: 1, message: "the top level is not an object ({ ... })" },
    };
  }
  return { ok: true, value: toSettingValue(value) as TomlTable };
}

function toSettingValue(value: unknown): TomlValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.map(toSettingValue).filter((item): item is TomlValue => item !== undefined);
  }
  if (typeof value === "object") {
    const table: TomlTable = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = toSettingValue(item);
      if (converted !== undefined) table[key] = converted;
    }
    return table;
  }
  return value as TomlValue;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}
