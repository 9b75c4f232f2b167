import { parse, TomlError } from "smol-toml";
import type { TomlTable } from "./toml_value.ts";
import {
  TOML_LIMITS,
  type TomlLimitExceeded,
  tomlNestingBeyondLimit,
  tomlShapeBeyondLimit,
  tomlSizeBeyondLimit,
} from "./toml_limits.ts";

/** Where and why a TOML document failed to parse. Line and column start at 1. */
export interface TomlSyntaxError {
  line: number;
  column: number;
  message: string;
  /**
   * Set when the document was refused for its size or shape (see `TOML_LIMITS`), not for its
   * syntax: it may well be valid TOML, just far beyond anything Beacon reads.
   */
  limit?: TomlLimitExceeded;
}

/** The result of {@link parseToml}: the document's value or the first syntax error. */
export type ParseTomlResult = { ok: true; value: TomlTable } | {
  ok: false;
  error: TomlSyntaxError;
};

/**
 * Parses a TOML 1.0 document (a leading BOM is allowed). Never throws: a syntax error comes
 * back with its line and column so callers can point people at it. A document beyond
 * `TOML_LIMITS` is refused (with `error.limit`): its size before parsing, its depth and counts
 * right after, so nothing that walks the value can be made to recurse or loop without end.
 *
 * @example
 * ```ts
 * parseToml('[otel]\nenvironment = "dev"\n'); // { ok: true, value: { otel: { environment: "dev" } } }
 * ```
 */
export function parseToml(text: string): ParseTomlResult {
  // Characters never outnumber UTF-8 bytes: only count bytes when the length is close.
  const size = tomlSizeBeyondLimit(
    text.length > TOML_LIMITS.maxBytes / 4 ? new TextEncoder().encode(text).length : text.length,
  );
  if (size) return beyondLimit(size);
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let value: TomlTable;
  try {
    value = parse(body, {
      integersAsBigInt: "asNeeded",
      maxDepth: TOML_LIMITS.maxDepth,
    }) as TomlTable;
  } catch (error) {
    if (error instanceof TomlError) {
      if (/excessively nested/.test(error.message)) {
        return beyondLimit(tomlNestingBeyondLimit(error.line));
      }
      const message = error.message.split("\n")[0].replace(/^Invalid TOML document: /, "");
      return { ok: false, error: { line: error.line, column: error.column, message } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { line: 1, column: 1, message } };
  }
  const shape = tomlShapeBeyondLimit(value);
  if (shape) return beyondLimit(shape);
  return { ok: true, value };
}

function beyondLimit(limit: TomlLimitExceeded): ParseTomlResult {
  return {
    ok: false,
    error: { line: 1, column: 1, message: `the document ${limit.detail}`, limit },
  };
}
