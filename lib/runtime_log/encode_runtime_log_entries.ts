/**
 * Turns the entries of one append into the bytes of newline-terminated JSONL lines.
 *
 * @module
 */

/** One line of the log: a JSON text without a newline, or a value to `JSON.stringify`. */
export type RuntimeLogEntry = string | object;

const encoder = new TextEncoder();

/**
 * Encodes `entries` as one line each (`JSON.stringify` for values, strings as they are), each
 * ending with `\n`. Throws `TypeError` naming the entry if a string contains `\n` (it would
 * become two lines) or a value cannot be encoded (a cycle, a `bigint`, `undefined`), so a bad
 * entry rejects its whole append before anything is written. `path` is for the message.
 *
 * @example
 * ```ts
 * import { encodeRuntimeLogEntries } from "./encode_runtime_log_entries.ts";
 *
 * const bytes = encodeRuntimeLogEntries("runtime.jsonl", [{ event: "a" }, '{"event":"b"}']);
 * new TextDecoder().decode(bytes); // '{"event":"a"}\n{"event":"b"}\n'
 * ```
 */
export function encodeRuntimeLogEntries(
  path: string,
  entries: readonly RuntimeLogEntry[],
): Uint8Array {
  if (!Array.isArray(entries)) {
    throw new TypeError(`Cannot append to runtime log "${path}": entries must be an array`);
  }
  if (entries.length === 0) return new Uint8Array(0);
  const lines = entries.map((entry, index) => {
    let line: unknown = entry;
    if (typeof entry !== "string") {
      try {
        line = JSON.stringify(entry);
      } catch (error) {
        throw new TypeError(
          `Cannot append to runtime log "${path}": entry ${index} cannot be encoded as JSON ` +
            `(${error instanceof Error ? error.message : String(error)})`,
          { cause: error },
        );
      }
    }
    if (typeof line !== "string" || line.includes("\n")) {
      throw new TypeError(
        `Cannot append to runtime log "${path}": entry ${index} must be a JSON value or a ` +
          `string without "\\n"`,
      );
    }
    return line;
  });
  return encoder.encode(lines.join("\n") + "\n");
}
