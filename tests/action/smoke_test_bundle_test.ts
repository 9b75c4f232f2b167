/**
 * tools/smoke_test.ts, the release's gate for each compiled binary, run here against the
 * single-file bundle with the binary's permission flags (deno compile cannot fetch its runtime
 * on this machine; the bundle is the same module graph and assets).
 */
import assert from "node:assert/strict";
import { BINARY_PERMISSION_FLAGS, bundleBeacon } from "../support/beacon_bundle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("smoke test passes against the bundle", async () => {
  const bundle = await bundleBeacon();
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      `${ROOT}tools/smoke_test.ts`,
      Deno.execPath(),
      "run",
      "--quiet",
      "--no-prompt",
      ...BINARY_PERMISSION_FLAGS,
      bundle,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, text);
  for (const check of ["version", "policy validate", "collector run", "ci exec with Codex"]) {
    assert.match(text, new RegExp(`^ok   ${check}`, "m"), text);
  }
  assert.match(text, /smoke test: 4 of 4 checks passed/);
});
