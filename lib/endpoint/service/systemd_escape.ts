/**
 * Writing values into a systemd unit so systemd reads back exactly the value given
 * (systemd.syntax(7), systemd.service(5) "Command lines", systemd.unit(5) "Specifiers").
 *
 * - `%` starts a specifier everywhere: written `%%`.
 * - In command lines `$` starts a variable: written `$$`.
 * - A word holding anything but plain path characters is double-quoted, with C-style escapes for
 *   `\`, `"` and control characters; UTF-8 is written as is.
 *
 * @module
 */

const PLAIN_WORD = /^[A-Za-z0-9_@%$+=:,./-]+$/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * One argument of `ExecStart=`, quoted only when needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteSystemdExecArgument } from "./systemd_escape.ts";
 * assert.ok(quoteSystemdExecArgument("--policy") === "--policy");
 * assert.ok(quoteSystemdExecArgument('a "b" 100%') === '"a \\"b\\" 100%%"');
 * ```
 */
export function quoteSystemdExecArgument(value: string): string {
  checkValue(value, "a command-line argument");
  const escaped = value.replaceAll("%", "%%").replaceAll("$", () => "$$");
  return PLAIN_WORD.test(escaped) ? escaped : `"${cEscape(escaped)}"`;
}

/**
 * One `Environment=` assignment, always double-quoted (`"NAME=value"`). `$` is literal there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteSystemdEnvironment } from "./systemd_escape.ts";
 * assert.ok(quoteSystemdEnvironment("HOME", "/home/a b") === '"HOME=/home/a b"');
 * ```
 */
export function quoteSystemdEnvironment(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new TypeError(
      `Cannot write environment variable "${name}" into a systemd unit: a name is letters, ` +
        "digits and _, not starting with a digit.",
    );
  }
  checkValue(value, `the value of ${name}`);
  return `"${cEscape(`${name}=${value.replaceAll("%", "%%")}`)}"`;
}

/**
 * A path for settings that take the whole rest of the line (`WorkingDirectory=`,
 * `StandardOutput=append:`): only specifiers are escaped. Paths must be absolute and must not
 * start or end with whitespace or hold control characters, which systemd cannot read back.
 */
export function escapeSystemdPath(path: string): string {
  checkPath(path);
  return path.replaceAll("%", "%%");
}

/**
 * A path in a space-separated list (`ReadWritePaths=`): double-quoted when it holds spaces.
 * Such lists keep backslashes as written, so paths with `\\` or `"` are refused.
 */
export function quoteSystemdPathListItem(path: string): string {
  checkPath(path);
  if (/["\\]/.test(path)) {
    throw new TypeError(
      `Cannot write path ${JSON.stringify(path)} into a systemd path list: it holds " or \\.`,
    );
  }
  const escaped = path.replaceAll("%", "%%");
  return PLAIN_WORD.test(escaped) ? escaped : `"${escaped}"`;
}

function checkPath(path: string): void {
  if (!path.startsWith("/") || CONTROL.test(path) || path.trim() !== path || !path.isWellFormed()) {
    throw new TypeError(
      `Cannot write path ${JSON.stringify(path)} into a systemd unit: it must be absolute, ` +
        "without control characters or surrounding spaces.",
    );
  }
}

function checkValue(value: string, what: string): void {
  if (value.includes("\0") || !value.isWellFormed()) {
    throw new TypeError(
      `Cannot write ${what} into a systemd unit: ${JSON.stringify(value)} holds a NUL ` +
        "character or a lone surrogate.",
    );
  }
}

function cEscape(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\\"\x00-\x1f\x7f]/g, (char) => {
    switch (char) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\t":
        return "\\t";
      case "\r":
        return "\\r";
      default:
        return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
    }
  });
}
