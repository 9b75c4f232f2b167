import { sha256 } from "../content/sha256.ts";
import { constantTimeEqual } from "./constant_time_equal.ts";

/**
 * True when no token is required, or when `authorization` is `Bearer <token>` with the right
 * token. Both sides are hashed (SHA-256) first, so the comparison is constant-time over two
 * equal-length digests: neither the token's bytes nor its length can be learnt from timing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAuthorized } from "./is_authorized.ts";
 * assert.equal(isAuthorized("s3cret-token-0123456", "Bearer s3cret-token-0123456"), true);
 * assert.equal(isAuthorized("s3cret-token-0123456", "Bearer s3cret"), false);
 * assert.equal(isAuthorized(undefined, null), true);
 * ```
 */
export function isAuthorized(token: string | undefined, authorization: string | null): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const given = digest(match ? match[1] : "");
  const wanted = digest(token);
  return constantTimeEqual(given, wanted) && match !== null;
}

function digest(text: string): Uint8Array {
  return sha256(ENCODER.encode(text));
}

const ENCODER = new TextEncoder();
