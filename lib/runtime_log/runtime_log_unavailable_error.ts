/**
 * The typed error a runtime log append rejects with when the disk refuses the write.
 *
 * @module
 */

import { dirname } from "../host/file_path.ts";

/** The step of writing that failed; part of the message so a person knows where to look. */
export type RuntimeLogOperation =
  | "create folder"
  | "open"
  | "write"
  | "sync"
  | "truncate"
  | "rotate";

/**
 * An append could not be made durable: the disk is full, the folder is not writable, the file
 * system is read-only, the device reported an I/O error, and so on.
 *
 * Nothing of the rejected append is left in the log (the file is truncated back to its size
 * before the failed batch), so the sender may safely retry: `retryable` is always `true`,
 * and the collector answers such a request with a retryable status (503). The log itself keeps
 * working: the next append tries the disk again. `code` is the errno name
 * (`"ENOSPC"`, `"EDQUOT"`, `"EACCES"`, `"EPERM"`, `"EROFS"`, `"EIO"`, `"ENOTDIR"`...) or
 * `"EUNKNOWN"`.
 *
 * @example
 * ```ts
 * import { RuntimeLogUnavailableError } from "./runtime_log_unavailable_error.ts";
 *
 * const error = new RuntimeLogUnavailableError({
 *   path: "/var/log/beacon-agent/runtime.jsonl",
 *   operation: "write",
 *   code: "ENOSPC",
 * });
 * console.log(error.message);
 * // Cannot write runtime log "/var/log/beacon-agent/runtime.jsonl": the disk is full (ENOSPC). ...
 * ```
 */
export class RuntimeLogUnavailableError extends Error {
  override name = "RuntimeLogUnavailableError";
  /** errno name such as `"ENOSPC"`, or `"EUNKNOWN"`. */
  readonly code: string;
  /** The runtime log file the append was for. */
  readonly path: string;
  /** Which step failed. */
  readonly operation: RuntimeLogOperation;
  /**
   * Always `true`: none of the rejected lines was kept, and the log retries on the next append,
   * so sending the same events again later is safe and may succeed.
   */
  readonly retryable = true;
  /**
   * What failed, where, and what to do, without the sentence about retrying (for a collector
   * that cannot start at all: nothing will retry).
   */
  readonly reason: string;

  /** Builds the error and its message for people from the failed step and errno name. */
  constructor(
    options: { path: string; operation: RuntimeLogOperation; code: string; cause?: unknown },
  ) {
    const reason = describe(options);
    super(
      `${reason} Events are not acknowledged until the log is writable again; the next event ` +
        "retries.",
      { cause: options.cause },
    );
    this.reason = reason;
    this.code = options.code;
    this.path = options.path;
    this.operation = options.operation;
  }
}

/** Wraps any error thrown by a file-system call into a {@link RuntimeLogUnavailableError}. */
export function toRuntimeLogUnavailableError(
  error: unknown,
  path: string,
  operation: RuntimeLogOperation,
): RuntimeLogUnavailableError {
  if (error instanceof RuntimeLogUnavailableError) return error;
  return new RuntimeLogUnavailableError({ path, operation, code: errnoCode(error), cause: error });
}

/** The errno name of an error thrown by Deno's file-system API, or `"EUNKNOWN"`. */
export function errnoCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code !== "") return code;
  if (error instanceof Deno.errors.PermissionDenied) return "EACCES";
  if (error instanceof Deno.errors.NotFound) return "ENOENT";
  if (error instanceof Deno.errors.NotADirectory) return "ENOTDIR";
  if (error instanceof Deno.errors.IsADirectory) return "EISDIR";
  if (error instanceof Deno.errors.AlreadyExists) return "EEXIST";
  return "EUNKNOWN";
}

/** The message: what failed, where, and what a person can do about it. */
function describe(
  { path, operation, code, cause }: {
    path: string;
    operation: RuntimeLogOperation;
    code: string;
    cause?: unknown;
  },
): string {
  const folder = dirname(path);
  const [what, todo] = explain(code, folder, cause);
  const step = operation === "write" ? "" : ` (${operation})`;
  return `Cannot write runtime log "${path}"${step}: ${what} (${code}). ${todo}`;
}

function explain(code: string, folder: string, cause: unknown): [string, string] {
  switch (code) {
    case "ENOSPC":
      return ["the disk is full", `Free space on the disk that holds "${folder}".`];
    case "EDQUOT":
      return [
        "the disk quota is exhausted",
        `Free space or raise the quota of the user running Beacon on "${folder}".`,
      ];
    case "EACCES":
      return [
        "permission denied",
        `Check that the user running Beacon owns and can write "${folder}" (ls -ld).`,
      ];
    case "EPERM":
      return [
        "operation not permitted",
        `Check the owner, mode and attributes of "${folder}" and its files (ls -l, lsattr).`,
      ];
    case "EROFS":
      return [
        "the file system is read-only",
        `Remount the file system that holds "${folder}" read-write or choose another log folder.`,
      ];
    case "EIO":
      return [
        "the disk reported an I/O error",
        "Check the disk (dmesg, smartctl); the device may be failing or disconnected.",
      ];
    case "EFBIG":
      return [
        "the file is too large for this system",
        "Lower the rotation size or raise the file size limit (ulimit -f).",
      ];
    case "ELOOP":
      return [
        "it is a symbolic link, which the collector never follows for its log files",
        `Remove the link (ls -l "${folder}"); only someone who can write to that folder could ` +
        "have put it there.",
      ];
    case "EUNSAFE": {
      const { message, remedy } = cause as { message: string; remedy?: string };
      return [message, remedy ?? `Check "${folder}".`];
    }
    case "ENOTDIR":
    case "EISDIR":
    case "ENOENT":
      return [
        "a part of the path is not what it should be",
        `Check that "${folder}" is a folder and the log path is a file; remove what is in the way.`,
      ];
    default: {
      const detail = cause instanceof Error ? cause.message : String(cause ?? "unknown error");
      return [detail, `Check "${folder}" and the disk that holds it.`];
    }
  }
}
