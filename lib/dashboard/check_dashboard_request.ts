/**
 * The checks every dashboard request passes before anything is read: read-only methods, a Host
 * header naming the listen address (so a DNS-rebinding page, whose requests carry its own host
 * name, reads nothing), no cross-origin requests, and the session (the token exchanged for a
 * cookie). Pure: the request's parts in, a refusal or a go-ahead out.
 *
 * @module
 */

/** A refused request. */
export interface Refusal {
  status: 401 | 403 | 405 | 421;
  message: string;
}

/** What a request is checked against. */
export interface RequestPolicy {
  /** `127.0.0.1:8765`, `localhost:8765`, `[::1]:8765` (ports included). */
  allowedHosts: string[];
  /** The start's token, as printed in the URL. */
  token: string;
  /** The cookie's name (the port is part of it: cookies are shared across ports). */
  cookieName: string;
  /** The cookie's value: a secret of this start, unrelated to the token. */
  cookieValue: string;
  /**
   * Single-use codes for the URL handed to a browser opener (`--open`), whose command line
   * other local users can read in `ps`: code -> when it expires (ms, {@link now}'s clock).
   * The request handler removes a code when it is used.
   */
  openCodes?: Map<string, number>;
  /** The clock open codes expire by (default `Date.now`). */
  now?: () => number;
}

/** How the request authenticated: the cookie, the printed token, or a single-use open code. */
export type Admission = { kind: "cookie" } | { kind: "token" } | { kind: "open"; code: string };

/**
 * Checks `request`; a {@link Refusal} or how it was admitted.
 *
 * @example
 * ```ts
 * import { checkDashboardRequest } from "./check_dashboard_request.ts";
 * const policy = {
 *   allowedHosts: ["127.0.0.1:8765"], token: "t", cookieName: "c", cookieValue: "v",
 * };
 * checkDashboardRequest(new Request("http://evil.example:8765/"), policy);
 * // { status: 421, message: "..." }
 * ```
 */
export function checkDashboardRequest(
  request: Request,
  policy: RequestPolicy,
): Refusal | Admission {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return { status: 405, message: "The dashboard is read-only: only GET and HEAD are served." };
  }
  const host = (request.headers.get("host") ?? "").toLowerCase();
  if (!policy.allowedHosts.includes(host)) {
    return {
      status: 421,
      message: `This dashboard answers only to ${policy.allowedHosts.join(", ")}, not to ` +
        `"${host}". Open the URL that \`beacon dashboard\` printed.`,
    };
  }
  const origin = request.headers.get("origin");
  if (origin !== null && !policy.allowedHosts.some((allowed) => origin === `http://${allowed}`)) {
    return { status: 403, message: "Cross-origin requests are refused." };
  }
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") {
    return { status: 403, message: `Requests from another site (${site}) are refused.` };
  }
  const params = new URL(request.url).searchParams;
  const open = params.get("open");
  if (open !== null) {
    const nowMs = (policy.now ?? Date.now)();
    for (const [code, expiresAt] of policy.openCodes ?? []) {
      if (sameSecret(open, code) && nowMs < expiresAt) return { kind: "open", code };
    }
    return {
      status: 401,
      message: "That link opens the dashboard once, within a minute of the start: open the URL " +
        "that `beacon dashboard` printed.",
    };
  }
  const token = params.get("token");
  if (token !== null) {
    return sameSecret(token, policy.token) ? { kind: "token" } : {
      status: 401,
      message: "That token is not this dashboard's: each start prints a new one. Open the URL " +
        "that `beacon dashboard` printed last.",
    };
  }
  if (sameSecret(cookieOf(request, policy.cookieName) ?? "", policy.cookieValue)) {
    return { kind: "cookie" };
  }
  return {
    status: 401,
    message: "Open the URL that `beacon dashboard` printed: it carries this start's token.",
  };
}

/** The value of cookie `name` in the request, if sent. */
function cookieOf(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Compares in time that does not depend on where the strings differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) difference |= (a[i] ?? 0) ^ b[i];
  return difference === 0 && expected.length > 0;
}
