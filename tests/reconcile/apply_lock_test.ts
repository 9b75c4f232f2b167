/**
 * README: "Concurrent applies are serialised by a lock (~/.beacon/endpoint/apply.lock)". The test
 * holds the lock itself, proves from /proc/locks that `beacon apply` (the single-file build) is
 * blocked on it, changes the config meanwhile, and checks that the apply planned only after the
 * lock was released (it keeps the change made while it waited).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BINARY_PERMISSION_FLAGS, bundleBeacon, makeTempHome } from "../support/beacon_bundle.ts";
import { waitUntilBlockedOnLock } from "../support/lock_waiters.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";

Deno.test("apply waits for the apply lock, then plans from the file as it is then", async () => {
  assert.equal(Deno.build.os, "linux", "this test reads /proc/locks (CI runs on Linux)");
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const config = join(tmp.codexHome, "config.toml");
  await Deno.writeTextFile(config, `# mine\nmodel = "o3"\n`);
  const lockPath = join(tmp.home, ".beacon", "endpoint", "apply.lock");
  const lock = await realFileSystem.lock(lockPath);
  let released = false;
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        ...BINARY_PERMISSION_FLAGS,
        await bundleBeacon(),
        "apply",
      ],
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1", ...tmp.env },
      clearEnv: true,
      cwd: tmp.home,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = child.output();
    const state = await waitUntilBlockedOnLock(lockPath, child.pid, output);
    if (state === "exited") {
      const run = await output;
      assert.fail(
        "beacon apply finished while the test held the apply lock:\n" +
          new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr),
      );
    }
    assert.equal(await Deno.readTextFile(config), `# mine\nmodel = "o3"\n`, "nothing written yet");
    // Another apply (here: the test) changes the file while this one waits.
    await Deno.writeTextFile(config, `# mine\nmodel = "o4-mini"\n`);
    await lock.release();
    released = true;

    const run = await output;
    const stderr = new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, stderr);
    assert.match(new TextDecoder().decode(run.stdout), /Apply complete: 8 added/);
    assert.ok(
      (await Deno.readTextFile(config)).startsWith(`# mine\nmodel = "o4-mini"\n\n[otel]\n`),
      "planned after the lock was released, from the file as it was then",
    );
  } finally {
    if (!released) await lock.release();
  }
});
