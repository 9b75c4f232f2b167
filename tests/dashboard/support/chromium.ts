/**
 * Debian's Chromium driven by playwright-core, started as the dashboard's browser tests need:
 * headless, a fresh profile, nothing that phones home, and every request outside loopback
 * recorded and refused.
 *
 * @module
 */
import { chromium as playwright } from "playwright-core";
import type { BrowserContext } from "playwright-core";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** A browser context and the requests it tried to send off this machine. */
export interface TestBrowser extends AsyncDisposable {
  context: BrowserContext;
  /** URLs of requests to anything but 127.0.0.1, localhost or [::1] (all refused). */
  offLoopback: string[];
}

/** Starts Chromium with a fresh profile. */
export async function startChromium(): Promise<TestBrowser> {
  const profile = await Deno.makeTempDir({ prefix: "beacon-chromium-" });
  const context = await playwright.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const offLoopback: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (["127.0.0.1", "localhost", "[::1]"].includes(url.hostname) || url.protocol === "data:") {
      return route.continue();
    }
    offLoopback.push(url.href);
    return route.abort();
  });
  return {
    context,
    offLoopback,
    async [Symbol.asyncDispose]() {
      await context.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}
