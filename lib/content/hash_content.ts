import { createHash } from "node:crypto";

/**
 * Lowercase hex SHA-256 of `text` encoded as UTF-8 (a lone surrogate is hashed as U+FFFD, as
 * `TextEncoder` would write it).
 *
 * @example
 * ```ts
 * hashContent("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function hashContent(text: string): string {
  return EMPTY_SHA256.copy().update(text, "utf8").digest("hex");
}

// Copying a fresh context skips createHash's algorithm lookup: about a sixth of the cost of
// hashing an event id. It is never updated or digested itself.
const EMPTY_SHA256 = createHash("sha256");
