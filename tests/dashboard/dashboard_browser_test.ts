/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core), over a log built
 * from the real Codex captures: every view renders, the runtime-log source warning shows, a new
 * event appears without a reload (also across a rotation), search finds a command, the keyboard
 * reaches everything, axe finds no serious accessibility problem, the CSP is never violated and
 * no request leaves loopback. Screenshots of each view go to .tmp/screenshots/, or to
 * docs/screenshots/ (what the README shows) with BEACON_UPDATE_SCREENSHOTS=1, so that a test run
 * never changes tracked files.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { serveDashboard } from "../../lib/dashboard/serve_dashboard.ts";
import { parseListenAddress } from "../../lib/dashboard/parse_listen_address.ts";
import { checkRuntimeLogSource } from "../../lib/dashboard/check_runtime_log_source.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { startChromium } from "./support/chromium.ts";
import { fixtureLogText, SYNTHETIC_SESSION } from "./support/build_fixture_log.ts";

const SCREENSHOTS = new URL(
  Deno.env.get("BEACON_UPDATE_SCREENSHOTS") ? "../../docs/screenshots/" : "../../.tmp/screenshots/",
  import.meta.url,
);
const WAIT = { timeout: 15_000 };

async function axeViolations(page: Page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate((axe as unknown as { source: string }).source);
  const result = await page.evaluate(() =>
    // deno-lint-ignore no-explicit-any
    (globalThis as any).axe.run(document, { resultTypes: ["violations"] })
  ) as { violations: { id: string; impact: string; help: string; nodes: unknown[] }[] };
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

function commandEvent(session: string, time: string, command: string) {
  return JSON.stringify({
    schema_version: 1,
    id: crypto.randomUUID().replaceAll("-", ""),
    time,
    harness: "codex",
    harness_version: "0.169.0",
    kind: "command_run",
    session_id: session,
    source_event: "codex.tool_result",
    model: "gpt-5-codex",
    tool_name: "exec_command",
    call_id: "call_live",
    success: true,
    duration_ms: 10,
    command: { mode: "keep", bytes: command.length, text: command },
    exit_code: 0,
  }) + "\n";
}

Deno.test({
  name: "dashboard in Chromium: views, warning, live updates, search, keyboard, axe, loopback only",
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "beacon-dashboard-" });
  const logPath = join(dir, "runtime.jsonl");
  await Deno.writeTextFile(
    logPath,
    await fixtureLogText() + '{"kind": "prompt", "time": "2026-11-2\n',
  );
  // A real collector that writes another log: the dashboard must say so.
  await using collector = await startInProcessCollector();
  const dashboard = await serveDashboard({
    listen: parseListenAddress("127.0.0.1:0"),
    logPath,
    checkSource: checkRuntimeLogSource({ collectorUrl: collector.url, logPath }),
  });
  await using browser = await startChromium();
  const page = await browser.context.newPage();
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
  page.on("pageerror", (error) => cspViolations.push(`page error: ${error.message}`));

  try {
    await t.step("the token is exchanged for a cookie and leaves the address bar", async () => {
      await page.goto(dashboard.url);
      assert.equal(page.url(), `${dashboard.origin}/`);
      const cookies = await browser.context.cookies();
      const cookie = cookies.find((c) => c.name === `beacon_dashboard_${dashboard.port}`);
      assert.ok(cookie, JSON.stringify(cookies));
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, "Strict");
    });

    await t.step(
      "overview: totals, charts, latest sessions, unreadable line, warning",
      async () => {
        await page.getByRole("heading", { name: "Overview" }).waitFor(WAIT);
        const cardValue = (label: string) =>
          page.locator(".card", { has: page.getByText(label, { exact: true }) }).locator(
            ".card-value",
          );
        assert.equal(await cardValue("Commands").textContent(), "7");
        assert.equal(await cardValue("Sessions").textContent(), "8");
        assert.equal(await cardValue("Files changed").textContent(), "1");
        assert.equal(await cardValue("MCP calls").textContent(), "1");
        assert.equal(await cardValue("Denials").textContent(), "2");
        assert.equal(await cardValue("Unreadable lines").textContent(), "1");
        await page.locator(".chart canvas").first().waitFor(WAIT);
        assert.equal(await page.locator(".chart").count(), 2);
        await page.getByRole("table", { name: "Latest sessions" }).waitFor(WAIT);
        await page.getByText("not valid JSON").first().waitFor(WAIT);
        const banner = page.getByRole("alert");
        await banner.getByText("does not write").waitFor(WAIT);
        assert.match(await banner.textContent() ?? "", new RegExp(logPath.replaceAll("/", "\\/")));
        await page.screenshot({
          path: new URL("overview.png", SCREENSHOTS).pathname,
          fullPage: true,
        });
      },
    );

    await t.step("sessions: sortable and filterable", async () => {
      await page.getByRole("link", { name: "Sessions" }).click();
      await page.getByRole("heading", { name: "Sessions" }).waitFor(WAIT);
      const rows = page.locator("table.sessions tbody tr");
      assert.equal(await rows.count(), 8);
      await page.getByRole("button", { name: /^Failures/ }).click();
      await page.waitForURL(/sort=failures/, WAIT);
      await page.locator("th[aria-sort='descending']", { hasText: "Failures" }).waitFor(WAIT);
      const failures = await page.locator("table.sessions tbody tr td:nth-child(8)")
        .allTextContents();
      assert.deepEqual(failures, failures.toSorted((a, b) => Number(b) - Number(a)));
      assert.notEqual(failures[0], "0");
      await page.getByLabel("Model").selectOption("gpt-5-codex");
      await page.getByRole("button", { name: "Filter" }).click();
      await page.waitForURL(/model=gpt-5-codex/, WAIT);
      await page.waitForFunction(
        () => document.querySelectorAll("table.sessions tbody tr").length === 1,
        null,
        WAIT,
      );
      await page.screenshot({
        path: new URL("sessions.png", SCREENSHOTS).pathname,
        fullPage: true,
      });
    });

    await t.step("session timeline: content as the policy kept it", async () => {
      await page.locator("table.sessions tbody tr a").first().click();
      await page.getByRole("heading", { name: /Session/ }).waitFor(WAIT);
      const timeline = page.locator("ol.timeline");
      await timeline.getByText("Fix the failing test in src/app.ts").waitFor(WAIT);
      await timeline.getByText(/redacted · 1 secret removed/).first().waitFor(WAIT);
      await timeline.getByText(/truncated · \d+ bytes originally/).first().waitFor(WAIT);
      assert.ok(!(await page.content()).includes("ghp_abcdefghij"), "a redacted secret shows");
      await timeline.getByRole("link", { name: "src/app.ts" }).waitFor(WAIT);
      await page.screenshot({ path: new URL("session.png", SCREENSHOTS).pathname, fullPage: true });
      // A session whose prompts were dropped or withheld shows them as such, with their size.
      await page.goto(`${dashboard.origin}/sessions`);
      await page.getByRole("heading", { name: "Sessions" }).waitFor(WAIT);
      const dropped = await page.evaluate(async () => {
        const sessions = await (await fetch("/api/sessions?limit=100")).json();
        for (const s of sessions.sessions) {
          const timeline = await (await fetch(`/api/sessions/${s.session_id}`)).json();
          if (
            timeline.entries.some((e: { event?: { prompt?: { mode: string } } }) =>
              e.event?.prompt?.mode === "drop"
            )
          ) {
            return s.session_id as string;
          }
        }
        return null;
      });
      assert.ok(dropped);
      await page.goto(`${dashboard.origin}/sessions/${dropped}`);
      await page.locator("ol.timeline").getByText(/withheld by the harness|dropped · \d+ bytes/)
        .first()
        .waitFor(WAIT);
    });

    await t.step("search finds a command, within the time range", async () => {
      await page.goto(`${dashboard.origin}/search`);
      await page.getByLabel(/^Search kept text/).fill("TOOL-OUTPUT-MARKER");
      await page.getByLabel(/^Search kept text/).press("Enter");
      const results = page.getByRole("table", { name: /results for/ });
      await results.getByText("echo TOOL-OUTPUT-MARKER-5678").first().waitFor(WAIT);
      await page.screenshot({ path: new URL("search.png", SCREENSHOTS).pathname, fullPage: true });
      await page.locator("#range-preset").selectOption("1h");
      await page.getByText(/Nothing found for/).waitFor(WAIT);
      await page.locator("#range-preset").selectOption("all");
      await results.getByText("echo TOOL-OUTPUT-MARKER-5678").first().waitFor(WAIT);
    });

    await t.step("a new event appears without a reload, also after a rotation", async () => {
      await page.goto(`${dashboard.origin}/search?q=live-marker`);
      await page.getByText(/Nothing found for/).waitFor(WAIT);
      await Deno.writeTextFile(
        logPath,
        commandEvent(SYNTHETIC_SESSION, new Date().toISOString(), "echo live-marker-one"),
        { append: true },
      );
      await page.getByText("echo live-marker-one").waitFor(WAIT);
      await Deno.rename(logPath, `${logPath}.1`);
      await Deno.writeTextFile(
        logPath,
        commandEvent(SYNTHETIC_SESSION, new Date().toISOString(), "echo live-marker-two"),
      );
      await page.getByText("echo live-marker-two").waitFor(WAIT);
      assert.equal(await page.getByText("echo live-marker-one").count(), 1);
    });

    await t.step("keyboard: skip link, navigation, sorting and search by key", async () => {
      await page.goto(`${dashboard.origin}/`);
      await page.getByRole("heading", { name: "Overview" }).waitFor(WAIT);
      await page.keyboard.press("Tab");
      assert.equal(
        await page.evaluate(() => document.activeElement?.textContent),
        "Skip to content",
      );
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Sessions");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Sessions" }).waitFor(WAIT);
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1");
      const sortButton = page.getByRole("button", { name: /^Events/ });
      await sortButton.focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/sort=events/, WAIT);
      await page.locator("body").click({ position: { x: 5, y: 400 } });
      await page.keyboard.press("/");
      await page.getByRole("heading", { name: "Search" }).waitFor(WAIT);
      await page.waitForFunction(() => document.activeElement?.id === "search-input", null, WAIT);
    });

    await t.step("axe: no serious or critical violations on any view", async () => {
      for (const path of ["/", "/sessions", `/sessions/${SYNTHETIC_SESSION}`, "/search?q=echo"]) {
        await page.goto(`${dashboard.origin}${path}`);
        await page.locator("main h1").waitFor(WAIT);
        await page.waitForLoadState("networkidle");
        const serious = await axeViolations(page);
        assert.deepEqual(
          serious.map((v) => `${path}: ${v.id} (${v.impact}): ${v.help}`),
          [],
        );
      }
    });

    await t.step("no CSP violation, no script error, no request off loopback", () => {
      assert.deepEqual(cspViolations, []);
      assert.deepEqual(browser.offLoopback, []);
    });
  } finally {
    await page.close();
    await dashboard.close();
    await Deno.remove(dir, { recursive: true });
  }
});
