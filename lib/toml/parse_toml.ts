import { parse, TomlError } from "smol-toml";
import type { TomlTable } from "./toml_value.ts";

/** Where and why a TOML document failed to parse. Line and column start at 1. */
export interface TomlSyntaxError {
  line: number;
  column: number;
  message: string;
}

/** The result of {@link parseToml}: the document's value or the first syntax error. */
export type ParseTomlResult = { ok: true; value: TomlTable } | {
  ok: false;
  error: TomlSyntaxError;
};

/**
 * Parses a TOML 1.0 document (a leading BOM is allowed). Never throws: a syntax error comes
 * back with its line and column so callers can point people at it.
 */
export function parseToml(text: string): ParseTomlResult {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    const value = parse(body, { integersAsBigInt: "asNeeded", maxDepth: 200 });
    return { ok: true, value: value as TomlTable };
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
      return { ok: false, error: { line: error.line, column: error.column, message } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { line: 1, column: 1, message } };
  }
}
