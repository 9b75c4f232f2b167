/**
 * `beacon dashboard` as it ships (the single-file bundle, with the compiled binary's permission
 * flags): refuses a non-loopback address with the reason, and serves its bundled page, script and
 * chart library from the bundle alone (no file beside it, no network).
 */
import assert from "node:assert/strict";
import { waitUntil } from "../support/wait_until.ts";
import { join } from "node:path";
import { BINARY_PERMISSION_FLAGS, bundleBeacon, runBeacon } from "../support/beacon_bundle.ts";
import { DASHBOARD_ASSETS } from "../../lib/dashboard/assets/dashboard_assets.ts";
import { renderDashboardAssetsModule } from "../../tools/gen_dashboard_assets.ts";
import { fixtureLogText } from "./support/build_fixture_log.ts";

Deno.test("beacon dashboard --listen refuses a non-loopback address and says why", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-home-" });
  for (const listen of ["0.0.0.0:8765", "192.168.1.5:8765", "[::]:8765", "example.com:80"]) {
    const run = await runBeacon(["dashboard", "--listen", listen], { env: { HOME: home } });
    assert.equal(run.code, 2, listen);
    assert.match(run.stderr, /loopback only: use 127\.0\.0\.1, \[::1\] or localhost/, listen);
  }
});

Deno.test("beacon dashboard (bundle) serves the embedded page, script and uPlot, then stops on SIGTERM", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-home-" });
  const logPath = join(home, "runtime.jsonl");
  await Deno.writeTextFile(logPath, await fixtureLogText());
  const bundle = await bundleBeacon();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...BINARY_PERMISSION_FLAGS,
      bundle,
      "dashboard",
      "--listen",
      "127.0.0.1:0",
      "--log",
      logPath,
    ],
    cwd: home,
    env: { HOME: home, NO_COLOR: "1", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/token=\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  const url = out.match(/http:\/\/\S+token=\S+/)?.[0];
  assert.ok(url, out);
  const first = await fetch(url, { redirect: "manual" });
  await first.body?.cancel();
  assert.equal(first.status, 303);
  const cookie = first.headers.get("set-cookie")!.split(";")[0];
  const origin = new URL(url).origin;
  for (
    const [path, name] of [["/", "index.html"], ["/assets/app.js", "app.js"], [
      "/assets/uplot.js",
      "uplot.js",
    ]]
  ) {
    const response = await fetch(origin + path, { headers: { cookie } });
    assert.equal(response.status, 200, path);
    assert.equal(await response.text(), DASHBOARD_ASSETS[name].body, path);
  }
  // The index is built in the background from the start: wait until it has read the log.
  const overview = await waitUntil("the overview to count the fixture's commands", async () => {
    const body = await (await fetch(`${origin}/api/overview`, { headers: { cookie } })).json();
    return body.totals?.commands === 7 ? body : undefined;
  });
  assert.equal(overview.totals.commands, 7);
  child.kill("SIGTERM");
  const status = await child.status;
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  const stderr = await new Response(child.stderr).text();
  assert.equal(status.code, 0, stderr);
});

Deno.test("the embedded assets are generated from the current sources (run tools/gen_dashboard_assets.ts)", async () => {
  const generated = await Deno.readTextFile(
    new URL("../../lib/dashboard/assets/dashboard_assets.ts", import.meta.url),
  );
  assert.equal(generated, renderDashboardAssetsModule());
});
