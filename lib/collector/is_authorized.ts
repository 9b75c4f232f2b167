import { timingSafeEqual } from "node:crypto";

/**
 * True when no token is required, or when `authorization` is `Bearer <token>` with the right
 * token. Compared in constant time so the token cannot be guessed byte by byte.
 */
export function isAuthorized(token: string | undefined, authorization: string | null): boolean {
  if (!token) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return false;
  const given = new TextEncoder().encode(match[1]);
  const wanted = new TextEncoder().encode(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
