/**
 * Headers on every dashboard response: a Content-Security-Policy that allows only the
 * dashboard's own scripts and styles (no inline script, no framing), no MIME sniffing, no
 * referrer, and nothing kept in caches.
 *
 * @module
 */

/** The dashboard's Content-Security-Policy. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * The security headers, to merge into a response's.
 *
 * @example
 * ```ts
 * import { securityHeaders } from "./security_headers.ts";
 * new Response("{}", { headers: { ...securityHeaders(), "content-type": "application/json" } });
 * ```
 */
export function securityHeaders(): Record<string, string> {
  return {
    "content-security-policy": DASHBOARD_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
  };
}
