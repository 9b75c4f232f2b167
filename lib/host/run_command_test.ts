import assert from "node:assert/strict";
import { join } from "node:path";
import { MAX_OUTPUT_BYTES, runCommand } from "./run_command.ts";
import { orGiveUp, waitUntil } from "../../tests/support/wait_until.ts";

async function script(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  await Deno.chmod(path, 0o755);
  return path;
}

async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-run-command-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("runCommand returns the exit code and both outputs", async () => {
  await withFolder(async (dir) => {
    const path = await script(dir, "tool", 'echo "tool 1.2.3"; echo warn >&2; exit 3');
    assert.deepEqual(await runCommand(path, [], { timeoutMs: 5000 }), {
      code: 3,
      stdout: "tool 1.2.3\n",
      stderr: "warn\n",
    });
  });
});

Deno.test("runCommand passes arguments and environment variables", async () => {
  await withFolder(async (dir) => {
    const path = await script(dir, "tool", 'echo "$1 $BEACON_TEST_VALUE"');
    const result = await runCommand(path, ["--version"], {
      timeoutMs: 5000,
      env: { BEACON_TEST_VALUE: "from-env", UNSET_ONE: undefined },
    });
    assert.equal(result.stdout, "--version from-env\n");
  });
});

Deno.test("a missing program gives 127 and a message instead of throwing", async () => {
  const result = await runCommand("/nonexistent/beacon-no-such-tool", [], { timeoutMs: 1000 });
  assert.equal(result.code, 127);
  assert.match(result.stderr, /command not found/);
});

Deno.test("a file that cannot be executed gives 126", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "plain");
    await Deno.writeTextFile(path, "not a program", { mode: 0o644 });
    const result = await runCommand(path, [], { timeoutMs: 1000 });
    assert.equal(result.code, 126);
    assert.match(result.stderr, /cannot run/);
  });
});

/** Whether process `pid` is gone (or a zombie nobody reaped yet). */
async function gone(pid: number): Promise<boolean> {
  const state = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "gone");
  return state === "gone" || / [ZX] /.test(state);
}

/**
 * Runs `path` with a 300 ms deadline. Its child sleeps for an hour, so only the deadline can end
 * the run: a runCommand that waited for the program (or for its child's copy of stdout) would
 * never return, and the watchdog fails the test instead of letting it hang. The child is killed
 * afterwards whatever happened.
 */
async function runPastDeadline(path: string, childPidFile: string) {
  try {
    return await orGiveUp(
      "runCommand did not return: its deadline did not end the run",
      runCommand(path, [], { timeoutMs: 300 }),
    );
  } finally {
    const child = Number((await Deno.readTextFile(childPidFile).catch(() => "")).trim());
    if (child > 0 && !(await gone(child))) Deno.kill(child, "SIGKILL");
  }
}

Deno.test("a hanging program and the children it started are killed at the deadline", async () => {
  await withFolder(async (dir) => {
    const marker = join(dir, "child.pid");
    const path = await script(dir, "hang", `echo started; sleep 3600 & echo $! > ${marker}; wait`);
    const result = await runPastDeadline(path, marker);
    assert.equal(result.code, 124);
    assert.equal(result.timedOut, true);
    assert.equal(result.stdout, "started\n");
    const sleeper = Number((await Deno.readTextFile(marker)).trim());
    // The sleeping grandchild was killed with its group (at most a zombie is left).
    await waitUntil(`the sleeping child ${sleeper} to be killed`, () => gone(sleeper));
  });
});

Deno.test("a background child holding the output open does not outlive the deadline", async () => {
  await withFolder(async (dir) => {
    const marker = join(dir, "child.pid");
    const path = await script(dir, "leaky", `echo 1.0.0; sleep 3600 & echo $! > ${marker}`);
    const result = await runPastDeadline(path, marker);
    assert.equal(result.timedOut, true);
    assert.equal(result.stdout, "1.0.0\n");
  });
});

Deno.test("a program killed by a signal reports 128 + the signal number", async () => {
  await withFolder(async (dir) => {
    const path = await script(dir, "killed", "kill -TERM $$");
    assert.equal((await runCommand(path, [], { timeoutMs: 5000 })).code, 143);
  });
});

Deno.test("output beyond the limit is discarded, not buffered", async () => {
  await withFolder(async (dir) => {
    const path = await script(dir, "chatty", "head -c 300000 /dev/zero | tr '\\0' x");
    const result = await runCommand(path, [], { timeoutMs: 5000 });
    assert.equal(result.code, 0);
    assert.equal(result.stdout.length, MAX_OUTPUT_BYTES);
  });
});

Deno.test("output that arrives in many reads is kept whole and in order", async () => {
  await withFolder(async (dir) => {
    // 58,894 bytes (under the limit) written in two parts, so read as at least two chunks.
    const path = await script(
      dir,
      "tool",
      "seq 1 5000 | sed 's/$/./'; sleep 0.2; seq 5001 10000 | sed 's/$/./'",
    );
    const { stdout } = await runCommand(path, [], { timeoutMs: 10_000 });
    const expected = Array.from({ length: 10000 }, (_, i) => `${i + 1}.\n`).join("");
    assert.ok(expected.length < MAX_OUTPUT_BYTES, "the test must stay under the output limit");
    assert.equal(stdout.length, expected.length);
    assert.equal(stdout, expected);
  });
});
