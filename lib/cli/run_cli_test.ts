import assert from "node:assert/strict";
import type { Host } from "../host/host.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import { runCli } from "./run_cli.ts";

/** `apply --plan` on a file system with a bug in it: lstat throws a TypeError. */
async function applyWithBug(env: Record<string, string>) {
  const home = await Deno.makeTempDir({ prefix: "beacon-run-cli-" });
  try {
    const host: Host = {
      home,
      cwd: home,
      systemRoot: home,
      os: "linux",
      env,
      now: () => new Date(),
    };
    let stdout = "";
    let stderr = "";
    const code = await runCli(["apply", "--plan"], {
      host,
      fs: {
        ...realFileSystem,
        lstat: () => Promise.reject(new TypeError("cannot read properties of undefined")),
      },
      stdout: (text) => stdout += text,
      stderr: (text) => stderr += text,
    });
    return { code, stdout, stderr };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("a bug: one line saying so and how to see more, exit 1; the stack with BEACON_DEBUG=1", async () => {
  const quiet = await applyWithBug({});
  assert.equal(quiet.code, 1);
  assert.equal(
    quiet.stderr,
    "error: unexpected TypeError: cannot read properties of undefined\n" +
      "This is a bug in Beacon; run again with BEACON_DEBUG=1 for details and report it.\n",
  );
  const loud = await applyWithBug({ BEACON_DEBUG: "1" });
  assert.equal(loud.code, 1);
  assert.match(loud.stderr, /^error: unexpected TypeError: .*\nTypeError: .*\n\s+at /);
});
