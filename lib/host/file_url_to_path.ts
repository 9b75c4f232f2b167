/**
 * The POSIX path of a `file:` URL, percent-decoded: what node:url's `fileURLToPath` returns on
 * Linux and macOS, without loading Deno's Node compatibility layer (issue 11). A URL of another
 * scheme, with a host, or with an encoded `/` (`%2F`, which no path can spell) is a TypeError;
 * a broken percent-encoding is a URIError.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileUrlToPath } from "./file_url_to_path.ts";
 *
 * assert.equal(fileUrlToPath("file:///opt/beacon/main%20copy.ts"), "/opt/beacon/main copy.ts");
 * ```
 */
export function fileUrlToPath(url: string | URL): string {
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (parsed.protocol !== "file:") {
    throw new TypeError(`Cannot read a path from "${parsed.href}": the URL must be of scheme file`);
  }
  if (parsed.hostname !== "") {
    throw new TypeError(
      `Cannot read a path from "${parsed.href}": a file URL's host must be "localhost" or empty`,
    );
  }
  if (/%2f/i.test(parsed.pathname)) {
    throw new TypeError(
      `Cannot read a path from "${parsed.href}": a file URL's path must not include an encoded /`,
    );
  }
  return decodeURIComponent(parsed.pathname);
}
