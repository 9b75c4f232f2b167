/**
 * Starts the dashboard: the loopback HTTP server, the index kept up to date every
 * {@link DEFAULT_REFRESH_MS} (so a new event shows within a second, across rotations), and the
 * runtime-log source warning checked again every few seconds.
 *
 * @module
 */

import { encodeBase64Url } from "./encode_base64_url.ts";
import type { ListenAddress } from "./parse_listen_address.ts";
import { createLiveDashboardIndex, type LiveDashboardIndex } from "./live_dashboard_index.ts";
import { handleDashboardRequest } from "./handle_dashboard_request.ts";
import { DASHBOARD_ASSETS } from "./assets/dashboard_assets.ts";
import type { OpenDashboardIndexOptions } from "./index/open_dashboard_index.ts";

/** How often the log is checked for new lines. */
export const DEFAULT_REFRESH_MS = 250;
/** How often the runtime-log source warning is computed again. */
const WARNING_EVERY_MS = 5000;

/** Options of {@link serveDashboard}. */
export interface ServeDashboardOptions {
  listen: ListenAddress;
  logPath: string;
  index?: OpenDashboardIndexOptions;
  /** Computes the runtime-log source warning (the same check as `endpoint status`). */
  checkSource?: () => Promise<string | undefined>;
  refreshMs?: number;
  /** The clock single-use open links expire by (default `Date.now`). */
  now?: () => number;
}

/** How long a link from {@link DashboardServer.openUrl} works if nobody opens it. */
export const OPEN_LINK_TTL_MS = 60_000;

/** A running dashboard. */
export interface DashboardServer {
  /** The URL to open: carries this start's token. */
  url: string;
  /**
   * A URL for a browser opener (`--open`): it works once, within {@link OPEN_LINK_TTL_MS}, so
   * the opener's command line, which other local users can read in `ps`, gives nothing away.
   */
  openUrl(): string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  index: LiveDashboardIndex;
  /** Stops serving and refreshing, and closes the index. */
  close(): Promise<void>;
}

/**
 * Serves the dashboard of `options.logPath` until {@link DashboardServer.close}.
 *
 * @example
 * ```ts
 * import { serveDashboard } from "./serve_dashboard.ts";
 * import { parseListenAddress } from "./parse_listen_address.ts";
 *
 * const dashboard = await serveDashboard({
 *   listen: parseListenAddress("127.0.0.1:0"),
 *   logPath: "/tmp/runtime.jsonl",
 * });
 * console.log(dashboard.url); // http://127.0.0.1:41234/?token=...
 * await dashboard.close();
 * ```
 */
export async function serveDashboard(options: ServeDashboardOptions): Promise<DashboardServer> {
  const index = await createLiveDashboardIndex(options.logPath, options.index);
  const token = randomSecret();
  const cookieValue = randomSecret();
  let warning: string | undefined;
  const allowedHosts: string[] = [];
  const now = options.now ?? Date.now;
  const openCodes = new Map<string, number>();
  const policy = { allowedHosts, token, cookieName: "", cookieValue, openCodes, now };
  const controller = new AbortController();
  const listening = Promise.withResolvers<Deno.NetAddr>();
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.listen.hostname,
      port: options.listen.port,
      signal: controller.signal,
      onListen: (address) => listening.resolve(address),
      onError: (error) => new Response(`The dashboard failed: ${error}\n`, { status: 500 }),
    }, (request) =>
      handleDashboardRequest(request, {
        policy,
        index,
        logPath: options.logPath,
        warning: () => warning,
        assets: DASHBOARD_ASSETS,
      }));
  } catch (error) {
    index.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new Error(
        `Cannot listen on ${options.listen.hostname}:${options.listen.port}: the address is in ` +
          "use (another dashboard?). Pass another with --listen 127.0.0.1:PORT.",
      );
    }
    throw error;
  }
  const address = await listening.promise;
  const port = address.port;
  allowedHosts.push(...options.listen.hostNames.map((name) => `${name}:${port}`));
  policy.cookieName = `beacon_dashboard_${port}`;
  const shown = options.listen.hostname.includes(":")
    ? `[${options.listen.hostname}]`
    : options.listen.hostname;
  const origin = `http://${shown}:${port}`;

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  let lastWarningCheck = -Infinity;
  const tick = async () => {
    if (stopped) return;
    await index.refresh();
    if (options.checkSource && performance.now() - lastWarningCheck >= WARNING_EVERY_MS) {
      lastWarningCheck = performance.now();
      warning = await options.checkSource().catch(() => warning);
    }
    if (!stopped) timer = setTimeout(tick, refreshMs);
  };
  const ticking = tick();

  return {
    url: `${origin}/?token=${token}`,
    openUrl() {
      const nowMs = now();
      for (const [code, expiresAt] of openCodes) if (expiresAt <= nowMs) openCodes.delete(code);
      const code = randomSecret();
      openCodes.set(code, nowMs + OPEN_LINK_TTL_MS);
      return `${origin}/?open=${code}`;
    },
    origin,
    port,
    index,
    async close() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      await server.finished;
      await ticking;
      await index.settled();
      index.close();
    },
  };
}

function randomSecret(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(24)));
}
