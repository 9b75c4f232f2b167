/**
 * How a failure is told to a person: an expected failure as its message (what, where, what to
 * do), a bug as one line that says so; stack traces only when asked for with `BEACON_DEBUG=1`.
 *
 * @module
 */

import { EXIT } from "./exit_codes.ts";
import { UsageError } from "./usage_error.ts";

/**
 * Errors whose message is written for people: the failure is expected (bad input, a file in the
 * way, a port taken) and the message says what failed, where, and what to do. A plain `Error`
 * counts too: Beacon throws `new Error(message)` only with such a message; bugs surface as
 * `TypeError`, `RangeError` and the like.
 */
const EXPECTED_ERROR_NAMES: ReadonlySet<string> = new Set([
  "Error",
  "PolicyError",
  "ConfigSyntaxError",
  "ConfigTooLargeError",
  "ConfigNotWritableError",
  "ConfigEncodingError",
  "StalePlanError",
  "OwnershipStateError",
  "TomlEditError",
  "EndpointStepError",
  "ListenError",
  "RuntimeLogUnavailableError",
]);

/** What to print on stderr and which exit code to return. */
export interface Failure {
  /** Ends with a newline. */
  text: string;
  code: number;
}

/**
 * Turns an error that reached the CLI into what the user sees: a {@link UsageError} exits 2,
 * anything else 1. With `debug` the stack (and the chain of causes) follows the message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeFailure } from "./describe_failure.ts";
 *
 * assert.deepEqual(describeFailure(new Error("Cannot read policy \"p.toml\": no such file."), false), {
 *   text: "error: Cannot read policy \"p.toml\": no such file.\n",
 *   code: 1,
 * });
 * ```
 */
export function describeFailure(error: unknown, debug: boolean): Failure {
  const details = debug ? debugDetails(error) : "";
  if (error instanceof UsageError) {
    return { text: `error: ${error.message}\n${details}`, code: EXIT.usage };
  }
  const expected = expectedMessage(error);
  if (expected !== undefined) return { text: `error: ${expected}\n${details}`, code: EXIT.error };
  const what = error instanceof Error
    ? `${error.name}: ${firstLine(error.message)}`
    : firstLine(String(error));
  return {
    text: `error: unexpected ${what}\n` +
      (debug
        ? details
        : "This is a bug in Beacon; run again with BEACON_DEBUG=1 for details and report it.\n"),
    code: EXIT.error,
  };
}

/** `BEACON_DEBUG` is set to something other than empty, `0` or `false`. */
export function isDebug(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.BEACON_DEBUG?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

function expectedMessage(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "NotCapable" || error instanceof Deno.errors.NotCapable) {
    return `${error.message} (the beacon binary lacks a permission it needs)`;
  }
  if (EXPECTED_ERROR_NAMES.has(error.name)) return error.message;
  // The operating system refused (a file in the way, no permission, a port taken): its message
  // names the operation and the path or address; say what to do about it.
  if (isOperatingSystemError(error)) {
    const hint = OPERATING_SYSTEM_HINTS.find(([type]) => error instanceof type)?.[1];
    return hint ? `${error.message}: ${hint}` : error.message;
  }
  return undefined;
}

const OPERATING_SYSTEM_HINTS: ReadonlyArray<[new (...args: never[]) => Error, string]> = [
  [Deno.errors.NotFound, "a file or folder Beacon needs is missing; check the path"],
  [
    Deno.errors.PermissionDenied,
    "check the owner and mode of that path (ls -ld), or run as a user who may use it",
  ],
  [Deno.errors.IsADirectory, "a folder is where a file should be; move it aside and try again"],
  [Deno.errors.NotADirectory, "a file is where a folder should be; move it aside and try again"],
  [Deno.errors.AlreadyExists, "something is already there; move it aside and try again"],
  [Deno.errors.AddrInUse, "another program listens there; stop it or choose another address"],
];

function isOperatingSystemError(error: Error): boolean {
  if (Object.values(Deno.errors).some((type) => error instanceof type)) return true;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return typeof code === "string" && /^E[A-Z0-9]+$/.test(code) && typeof syscall === "string";
}

function debugDetails(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && !seen.has(current);) {
    seen.add(current);
    const text = current instanceof Error ? current.stack ?? current.message : String(current);
    lines.push(lines.length ? `caused by: ${text}` : text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines.join("\n") + "\n";
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0];
}
