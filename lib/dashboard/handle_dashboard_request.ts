/**
 * The dashboard's routes: the page (one HTML shell for every view), its bundled assets and a
 * read-only JSON API. Every request is checked first ({@link checkDashboardRequest}); every
 * response carries {@link securityHeaders}. Nothing here reads the file system except through
 * the index, and static files come from a fixed table, so no path can reach a file.
 *
 * @module
 */

import {
  type Admission,
  checkDashboardRequest,
  type RequestPolicy,
} from "./check_dashboard_request.ts";
import { securityHeaders } from "./security_headers.ts";
import type { LiveDashboardIndex } from "./live_dashboard_index.ts";
import { queryOverview, type TimeRange } from "./index/query_overview.ts";
import { querySessions, type SessionSortColumn } from "./index/query_sessions.ts";
import { querySessionTimeline } from "./index/query_session_timeline.ts";
import { querySearch } from "./index/query_search.ts";
import { messageOf } from "./index/open_dashboard_index.ts";

/** A bundled file. */
export interface DashboardAsset {
  contentType: string;
  body: string;
}

/** What the handler serves from. */
export interface DashboardContext {
  policy: RequestPolicy;
  index: LiveDashboardIndex;
  /** The runtime log shown. */
  logPath: string;
  /** The runtime-log source warning, when the log shown is not the one the collector writes. */
  warning(): string | undefined;
  /** `/assets/<name>` files, and `index.html`. */
  assets: Readonly<Record<string, DashboardAsset>>;
}

const PAGE_PATHS = [/^\/$/, /^\/sessions$/, /^\/sessions\/[^/]+$/, /^\/search$/];

/**
 * Answers one request.
 *
 * @example
 * ```ts
 * import { handleDashboardRequest } from "./handle_dashboard_request.ts";
 * declare const context: import("./handle_dashboard_request.ts").DashboardContext;
 * Deno.serve({ hostname: "127.0.0.1", port: 8765 }, (request) =>
 *   handleDashboardRequest(request, context));
 * ```
 */
export async function handleDashboardRequest(
  request: Request,
  context: DashboardContext,
): Promise<Response> {
  const admission = checkDashboardRequest(request, context.policy);
  if ("status" in admission) {
    return text(
      admission.status,
      admission.message,
      admission.status === 405 ? { allow: "GET, HEAD" } : {},
    );
  }
  const url = new URL(request.url);
  if (admission.kind === "open") context.policy.openCodes?.delete(admission.code);
  if (admission.kind !== "cookie") return exchangeToken(url, context.policy, admission);
  try {
    return await route(url, context);
  } catch (error) {
    return json(500, { error: `The dashboard could not answer: ${messageOf(error)}` });
  }
}

async function route(url: URL, context: DashboardContext): Promise<Response> {
  const path = url.pathname;
  if (PAGE_PATHS.some((pattern) => pattern.test(path))) {
    return asset(context.assets["index.html"]);
  }
  if (path.startsWith("/assets/")) {
    const name = path.slice("/assets/".length);
    return Object.hasOwn(context.assets, name) && name !== "index.html"
      ? asset(context.assets[name])
      : text(404, "No such file.");
  }
  const db = context.index.db;
  const params = url.searchParams;
  switch (path) {
    case "/api/status":
      return json(200, {
        ...context.index.status(),
        logPath: context.logPath,
        warning: context.warning() ?? null,
      });
    case "/api/overview":
      return json(200, queryOverview(db, rangeOf(params)));
    case "/api/sessions":
      return json(
        200,
        querySessions(db, {
          ...rangeOf(params),
          model: params.get("model") || undefined,
          harness: params.get("harness") || undefined,
          environment: params.get("environment") || undefined,
          text: params.get("q") || undefined,
          sort: (params.get("sort") || undefined) as SessionSortColumn | undefined,
          descending: params.get("dir") !== "asc",
          limit: numberOf(params.get("limit")),
          offset: numberOf(params.get("offset")),
        }),
      );
    case "/api/search":
      return json(
        200,
        querySearch(db, {
          ...rangeOf(params),
          text: params.get("q") ?? "",
          kind: params.get("kind") || undefined,
        }),
      );
  }
  if (path.startsWith("/api/sessions/")) {
    const id = decodeURIComponent(path.slice("/api/sessions/".length));
    const timeline = await querySessionTimeline(db, id);
    return timeline ? json(200, timeline) : json(404, { error: `No session "${id}" in the log.` });
  }
  return text(404, "Not found.");
}

/** The first visit: the token (or open code) becomes a cookie, and the address bar loses it. */
function exchangeToken(url: URL, policy: RequestPolicy, _admission: Admission): Response {
  const clean = new URL(url);
  clean.searchParams.delete("token");
  clean.searchParams.delete("open");
  return new Response(null, {
    status: 303,
    headers: {
      ...securityHeaders(),
      location: clean.pathname + clean.search,
      "set-cookie": `${policy.cookieName}=${policy.cookieValue}; HttpOnly; SameSite=Strict; Path=/`,
    },
  });
}

function rangeOf(params: URLSearchParams): TimeRange {
  return { fromMs: numberOf(params.get("from")), toMs: numberOf(params.get("to")) };
}

function numberOf(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function asset(file: DashboardAsset | undefined): Response {
  if (!file) return text(404, "No such file.");
  return new Response(file.body, {
    headers: { ...securityHeaders(), "content-type": file.contentType },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...securityHeaders(), "content-type": "application/json; charset=utf-8" },
  });
}

function text(status: number, message: string, extra: Record<string, string> = {}): Response {
  return new Response(message + "\n", {
    status,
    headers: { ...securityHeaders(), "content-type": "text/plain; charset=utf-8", ...extra },
  });
}
