/**
 * The dashboard's edges, over real HTTP: a request needs the start's token (then its cookie),
 * must name the listen address in Host (DNS rebinding), must not come from another origin, can
 * only read, cannot reach a file through a static route, and a huge or malformed log line is an
 * error row, never a crash.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { serveDashboard } from "../../lib/dashboard/serve_dashboard.ts";
import { parseListenAddress } from "../../lib/dashboard/parse_listen_address.ts";
import { MAX_LINE_BYTES } from "../../lib/runtime_log/read_runtime_log.ts";
import { fixtureLogText } from "./support/build_fixture_log.ts";

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One GET written by hand, so that Host and every other header are exactly as given. */
async function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = [
    `${method} ${path} HTTP/1.1`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (method === "POST") head.push("Content-Length: 2");
  head.push("Connection: close", "", method === "POST" ? "{}" : "");
  await conn.write(new TextEncoder().encode(head.join("\r\n")));
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  while (true) {
    const read = await conn.read(buffer).catch(() => null);
    if (read === null) break;
    chunks.push(buffer.slice(0, read));
  }
  conn.close();
  const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  const [headText, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...headerLines] = headText.split("\r\n");
  return {
    status: Number(statusLine.split(" ")[1]),
    headers: Object.fromEntries(headerLines.map((line) => {
      const at = line.indexOf(":");
      return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
    })),
    body: rest.join("\r\n\r\n"),
  };
}

async function withDashboard(
  logText: string,
  run: (d: Awaited<ReturnType<typeof serveDashboard>>, logPath: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "beacon-dashboard-" });
  const logPath = join(dir, "runtime.jsonl");
  await Deno.writeTextFile(logPath, logText);
  const dashboard = await serveDashboard({ listen: parseListenAddress("127.0.0.1:0"), logPath });
  try {
    await dashboard.index.refresh();
    await run(dashboard, logPath);
  } finally {
    await dashboard.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The cookie a first visit with the token gets. */
async function login(port: number, url: string): Promise<string> {
  const response = await rawRequest(port, new URL(url).pathname + new URL(url).search, {
    Host: `127.0.0.1:${port}`,
  });
  assert.equal(response.status, 303);
  assert.equal(response.headers.location, "/");
  assert.match(response.headers["set-cookie"], /HttpOnly; SameSite=Strict; Path=\//);
  return response.headers["set-cookie"].split(";")[0];
}

Deno.test("dashboard: no token, a wrong token or a stale cookie get 401; the token gets a cookie", async () => {
  await withDashboard(await fixtureLogText(), async ({ port, url }) => {
    const host = { Host: `127.0.0.1:${port}` };
    for (const path of ["/", "/api/overview", "/api/status", "/assets/app.js"]) {
      const response = await rawRequest(port, path, host);
      assert.equal(response.status, 401, path);
      assert.doesNotMatch(response.body, /TOOL-OUTPUT-MARKER/);
    }
    assert.equal((await rawRequest(port, "/?token=not-the-token", host)).status, 401);
    assert.equal(
      (await rawRequest(port, "/api/overview", {
        ...host,
        Cookie: `beacon_dashboard_${port}=guess`,
      }))
        .status,
      401,
    );
    const cookie = await login(port, url);
    const overview = await rawRequest(port, "/api/overview", { ...host, Cookie: cookie });
    assert.equal(overview.status, 200);
    assert.equal(JSON.parse(overview.body).totals.commands, 7);
    assert.equal(overview.headers["cache-control"], "no-store");
    assert.match(overview.headers["content-security-policy"], /frame-ancestors 'none'/);
    assert.doesNotMatch(overview.headers["content-security-policy"], /unsafe-inline|unsafe-eval/);
    assert.equal(overview.headers["x-content-type-options"], "nosniff");
    assert.equal(overview.headers["referrer-policy"], "no-referrer");
  });
});

Deno.test("dashboard --open: the browser gets a link that works once and expires, not the token", async () => {
  let nowMs = 1_000_000;
  const dir = await Deno.makeTempDir({ prefix: "beacon-dashboard-" });
  const logPath = join(dir, "runtime.jsonl");
  await Deno.writeTextFile(logPath, await fixtureLogText());
  const dashboard = await serveDashboard({
    listen: parseListenAddress("127.0.0.1:0"),
    logPath,
    now: () => nowMs,
  });
  try {
    const { port, url } = dashboard;
    const host = { Host: `127.0.0.1:${port}` };
    const token = new URL(url).searchParams.get("token")!;
    // What goes on the opener's command line (visible in ps) is not the printed token.
    const openUrl = dashboard.openUrl();
    assert.equal(new URL(openUrl).origin, new URL(url).origin);
    assert.doesNotMatch(openUrl, new RegExp(token));
    const cookie = await login(port, openUrl);
    const overview = await rawRequest(port, "/api/overview", { ...host, Cookie: cookie });
    assert.equal(overview.status, 200);
    // Read from ps and used again: refused, and the refusal says what to do.
    const again = await rawRequest(port, new URL(openUrl).pathname + new URL(openUrl).search, host);
    assert.equal(again.status, 401);
    assert.match(again.body, /once/);
    // A link nobody used is refused once it is a minute old.
    const late = dashboard.openUrl();
    nowMs += 61_000;
    const expired = await rawRequest(port, new URL(late).pathname + new URL(late).search, host);
    assert.equal(expired.status, 401);
    // The printed token still works.
    await login(port, url);
  } finally {
    await dashboard.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboard: a Host other than the listen address is refused (DNS rebinding), even with the cookie", async () => {
  await withDashboard(await fixtureLogText(), async ({ port, url }) => {
    const cookie = await login(port, url);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      assert.equal(
        (await rawRequest(port, "/api/status", { Host: host, Cookie: cookie })).status,
        200,
        host,
      );
    }
    for (
      const host of [
        `evil.example:${port}`,
        "127.0.0.1",
        `127.0.0.1:${port + 1}`,
        `localhost.evil.example:${port}`,
      ]
    ) {
      const response = await rawRequest(port, "/api/overview", { Host: host, Cookie: cookie });
      assert.equal(response.status, 421, host);
      assert.doesNotMatch(response.body, /TOOL-OUTPUT-MARKER/);
    }
    // The token is never exchanged under a foreign name either.
    const query = new URL(url).search;
    assert.equal(
      (await rawRequest(port, `/${query}`, { Host: `evil.example:${port}` })).status,
      421,
    );
  });
});

Deno.test("dashboard: cross-origin and state-changing requests are refused", async () => {
  await withDashboard(await fixtureLogText(), async ({ port, url }) => {
    const cookie = await login(port, url);
    const base = { Host: `127.0.0.1:${port}`, Cookie: cookie };
    assert.equal(
      (await rawRequest(port, "/api/overview", { ...base, Origin: "http://evil.example" })).status,
      403,
    );
    assert.equal(
      (await rawRequest(port, "/api/overview", { ...base, "Sec-Fetch-Site": "cross-site" })).status,
      403,
    );
    assert.equal(
      (await rawRequest(port, "/api/overview", { ...base, "Sec-Fetch-Site": "same-site" })).status,
      403,
    );
    assert.equal(
      (await rawRequest(port, "/api/overview", { ...base, Origin: `http://127.0.0.1:${port}` }))
        .status,
      200,
    );
    for (const method of ["POST", "PUT", "DELETE"]) {
      const response = await rawRequest(port, "/api/overview", base, method);
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.allow, "GET, HEAD");
    }
  });
});

Deno.test("dashboard: static routes reach no file (path traversal)", async () => {
  await withDashboard(await fixtureLogText(), async ({ port, url }) => {
    const cookie = await login(port, url);
    const base = { Host: `127.0.0.1:${port}`, Cookie: cookie };
    for (
      const path of [
        "/assets/../deno.json",
        "/assets/..%2f..%2fdeno.json",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/assets/....//....//etc/passwd",
        "/assets/index.html",
        "/assets/",
        "/etc/passwd",
        "/assets/app.js%00.png",
        "/assets/constructor",
        "/assets/__proto__",
      ]
    ) {
      const response = await rawRequest(port, path, base);
      assert.ok([404].includes(response.status), `${path}: ${response.status}`);
      assert.doesNotMatch(response.body, /root:|"imports"|<html/, path);
    }
    const script = await rawRequest(port, "/assets/app.js", base);
    assert.equal(script.status, 200);
    assert.match(script.headers["content-type"], /^text\/javascript/);
  });
});

Deno.test("dashboard: a huge line and malformed lines are error rows; the rest is shown", async () => {
  const huge = '{"kind":"prompt","padding":"' + "x".repeat(MAX_LINE_BYTES + 10) + '"}\n';
  const text = "{not json\n" + huge + '"a string"\n' + '{"kind":"prompt"}\n' +
    await fixtureLogText();
  await withDashboard(text, async ({ port, url }) => {
    const cookie = await login(port, url);
    const base = { Host: `127.0.0.1:${port}`, Cookie: cookie };
    const overview = JSON.parse((await rawRequest(port, "/api/overview", base)).body);
    assert.equal(overview.totals.unreadableLines, 4);
    assert.equal(overview.totals.commands, 7);
    const errors = overview.errors.map((e: { error: string }) => e.error).join("\n");
    assert.match(errors, /runtime\.jsonl:1: not valid JSON/);
    assert.match(errors, /runtime\.jsonl:2: the line is \d+ bytes, too long to read/);
    assert.match(errors, /runtime\.jsonl:3: not a JSON object/);
    assert.match(errors, /runtime\.jsonl:4: no readable "time"/);
    const status = await rawRequest(port, "/api/status", base);
    assert.equal(status.status, 200);
  });
});
