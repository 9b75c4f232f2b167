import assert from "node:assert/strict";
import { runCliProcess } from "./run_cli_process.ts";
import { waitUntil } from "./wait_until.ts";

/** Whether a process with this id is still running (a zombie waiting to be reaped is not). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

Deno.test("a run sees only the base environment and its own, and its output is collected", async () => {
  Deno.env.set("BEACON_RUN_CLI_PROCESS_LEAK", "from the test");
  try {
    const result = await runCliProcess("sh", ["-c", "env; echo oops >&2; exit 3"], {
      cwd: "/",
      env: { GREETING: "hello", NO_COLOR: "0" },
    });
    const names = result.stdout.trim().split("\n").map((line) => line.split("=")[0])
      .filter((name) => !["PWD", "SHLVL", "_"].includes(name)) // set by sh itself
      .sort();
    assert.deepEqual(names, ["GREETING", "LANG", "NO_COLOR", "PATH"]);
    assert.match(result.stdout, /^NO_COLOR=0$/m, "the run's own value wins over the base");
    assert.match(result.stdout, /^LANG=C\.UTF-8$/m);
    assert.equal(result.stderr, "oops\n");
    assert.equal(result.code, 3);
    assert.equal(result.timedOut, false);
  } finally {
    Deno.env.delete("BEACON_RUN_CLI_PROCESS_LEAK");
  }
});

Deno.test("a timeout ends the whole process group, not only the process started", async () => {
  // The background sleep writes nowhere, so only the group signal can end it.
  const result = await runCliProcess(
    "sh",
    ["-c", "sleep 600 >/dev/null 2>&1 & echo $!; wait"],
    { cwd: "/", env: {}, timeoutMs: 200 },
  );
  const grandchild = Number(result.stdout.trim());
  assert.ok(grandchild > 0, result.stdout);
  assert.equal(result.timedOut, true);
  // The signal reaches it at once; its exit may take a moment to show.
  await waitUntil("the command the CLI started to end", () => !running(grandchild), 10_000);
});

Deno.test("a run that ignores SIGTERM is killed after the grace period", async () => {
  const result = await runCliProcess(
    "sh",
    ["-c", "trap '' TERM; sleep 20 & wait $!; wait $!"],
    { cwd: "/", env: {}, timeoutMs: 100, killAfterMs: 100 },
  );
  assert.equal(result.timedOut, true);
  assert.equal(result.code, 137, "killed by SIGKILL, not left to finish");
});
