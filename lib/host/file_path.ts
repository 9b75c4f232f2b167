/**
 * POSIX path helpers with the semantics of Node's `path.posix`, in plain TypeScript.
 *
 * Why not `node:path`: the bundler hoists every static `node:` import to the top of the one
 * bundle, so a single one makes every Beacon process (the always-on collector too) start Deno's
 * Node compatibility layer, several MB of idle memory. Beacon runs on Linux and macOS, so POSIX
 * paths are all it needs. `file_path_test.ts` checks every function against `node:path`'s
 * `posix` for generated inputs.
 *
 * @example
 * ```ts
 * import { basename, dirname, join, normalize } from "./file_path.ts";
 *
 * join("/var/log", "beacon", "../beacon.jsonl"); // "/var/log/beacon.jsonl"
 * dirname("/var/log/beacon.jsonl"); // "/var/log"
 * basename("/var/log/beacon.jsonl"); // "beacon.jsonl"
 * normalize("//a/./b/"); // "/a/b/"
 * ```
 *
 * @module
 */

/** The path separator: always `/`. */
export const sep = "/";

/**
 * Whether `path` starts at the root (begins with `/`).
 *
 * @example
 * ```ts
 * import { isAbsolute } from "./file_path.ts";
 * isAbsolute("/etc"); // true
 * isAbsolute("etc"); // false
 * ```
 */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/**
 * `path` with `.` segments, `..` segments that follow a name, and repeated slashes removed; a
 * trailing slash is kept; `""` becomes `"."`.
 *
 * @example
 * ```ts
 * import { normalize } from "./file_path.ts";
 * normalize("a/./b/../c//"); // "a/c/"
 * normalize("/../a"); // "/a"
 * normalize("../a/.."); // ".."
 * ```
 */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  const trailingSlash = path.endsWith("/");
  const normalized = normalizeSegments(path, !absolute);
  if (normalized === "") {
    if (absolute) return "/";
    return trailingSlash ? "./" : ".";
  }
  const withTrailing = trailingSlash ? `${normalized}/` : normalized;
  return absolute ? `/${withTrailing}` : withTrailing;
}

/**
 * The non-empty `paths` joined with `/` and normalised; `"."` when all are empty.
 *
 * @example
 * ```ts
 * import { join } from "./file_path.ts";
 * join("/home/ada", ".codex", "config.toml"); // "/home/ada/.codex/config.toml"
 * join("a/", "", "/b"); // "a/b"
 * ```
 */
export function join(...paths: string[]): string {
  const nonEmpty = paths.filter((path) => path !== "");
  return nonEmpty.length === 0 ? "." : normalize(nonEmpty.join("/"));
}

/**
 * The absolute path that `paths` lead to, read right to left until one is absolute, relative
 * to `Deno.cwd()` when none is; normalised, without a trailing slash.
 *
 * @example
 * ```ts
 * import { resolve } from "./file_path.ts";
 * resolve("/etc", "beacon/", "policy.toml"); // "/etc/beacon/policy.toml"
 * resolve("/var", "/tmp", "x"); // "/tmp/x"
 * resolve("logs"); // Deno.cwd() + "/logs"
 * ```
 */
export function resolve(...paths: string[]): string {
  let resolved = "";
  let absolute = false;
  for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? paths[i] : Deno.cwd();
    if (path === "") continue;
    resolved = `${path}/${resolved}`;
    absolute = isAbsolute(path);
  }
  const normalized = normalizeSegments(resolved, !absolute);
  if (absolute) return `/${normalized}`;
  return normalized === "" ? "." : normalized;
}

/**
 * The folder part of `path`: everything before its last name, trailing slashes ignored.
 *
 * Like Node, the slashes between the folder and the name are not collapsed
 * (`dirname("a//b")` is `"a/"`) and `dirname("//a")` is `"//"`.
 *
 * @example
 * ```ts
 * import { dirname } from "./file_path.ts";
 * dirname("/var/log/beacon.jsonl"); // "/var/log"
 * dirname("/var/log/"); // "/var"
 * dirname("beacon.jsonl"); // "."
 * dirname("/"); // "/"
 * ```
 */
export function dirname(path: string): string {
  if (path === "") return ".";
  const hasRoot = isAbsolute(path);
  // The first character never ends the folder part: it is the root or part of the first name.
  const end = path.slice(1).replace(/\/+$/, "").lastIndexOf("/") + 1;
  if (end === 0) return hasRoot ? "/" : ".";
  if (hasRoot && end === 1) return "//";
  return path.slice(0, end);
}

/**
 * The last name in `path`, trailing slashes ignored; `""` for `"/"` and `""`.
 *
 * @example
 * ```ts
 * import { basename } from "./file_path.ts";
 * basename("/var/log/beacon.jsonl"); // "beacon.jsonl"
 * basename("/var/log/"); // "log"
 * ```
 */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/**
 * The segments of `path` without empty and `.` segments, each `..` removing the name before it;
 * a `..` with no name before it is kept when `allowAboveRoot`, dropped otherwise. No leading
 * or trailing slash.
 */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") kept.push(segment);
    else if (kept.length > 0 && kept[kept.length - 1] !== "..") kept.pop();
    else if (allowAboveRoot) kept.push("..");
  }
  return kept.join("/");
}
