/**
 * `beacon ci exec -- CMD`: the command's exit code wins (0, 1, 42, 128+N for a signal death),
 * SIGTERM reaches the command, its output streams through unchanged, and it runs with the run's
 * environment.
 */
import assert from "node:assert/strict";
import { BINARY_PERMISSION_FLAGS, bundleBeacon, runBeacon } from "../support/beacon_bundle.ts";
import { readCiStateFile } from "../support/ci_run.ts";

async function withHome<T>(fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const home = await Deno.makeTempDir({ prefix: "beacon-ci-exec-" });
  try {
    return await fn({ HOME: home });
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

for (const [script, expected] of [["exit 0", 0], ["exit 1", 1], ["exit 42", 42]] as const) {
  Deno.test(`ci exec keeps the command's exit code: ${script} -> ${expected}`, async () => {
    await withHome(async (env) => {
      const run = await runBeacon(["ci", "exec", "--", "sh", "-c", script], { env });
      assert.equal(run.code, expected, run.stderr);
      assert.match(run.stderr, /Beacon CI summary/);
    });
  });
}

Deno.test("ci exec: a command killed by a signal gives 128+N", async () => {
  await withHome(async (env) => {
    const run = await runBeacon(["ci", "exec", "--", "sh", "-c", "kill -KILL $$"], { env });
    assert.equal(run.code, 128 + 9, run.stderr);
  });
});

Deno.test("ci exec: output streams through unchanged; the command sees the run's environment", async () => {
  await withHome(async (env) => {
    const script = 'printf "out\\0bin\\n"; printf "%s|%s|%s\\n" "$CODEX_HOME" "$BEACON_CI_STATE" ' +
      '"$OTEL_RESOURCE_ATTRIBUTES" >&2';
    const run = await runBeacon(["ci", "exec", "--", "sh", "-c", script], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "out\0bin\n", "stdout is the command's own");
    const [codexHome, statePath, attributes] = run.stderr.split("\n").find((line) =>
      line.includes("|")
    )!.split("|");
    const state = await readCiStateFile(statePath);
    assert.equal(codexHome, state.harnesses.find((harness) => harness.name === "codex")?.home);
    assert.equal(attributes, "beacon.ci.provider=local");
    assert.ok(state.finished_at, "finished after the command");
  });
});

Deno.test("ci exec: the command's failure wins over a failed gate; a gate decides when it succeeds", async () => {
  await withHome(async (env) => {
    const failing = await runBeacon(
      ["ci", "exec", "--min-events", "1", "--", "sh", "-c", "exit 42"],
      { env },
    );
    assert.equal(failing.code, 42);
    assert.match(failing.stderr, /gate min-events failed: expected at least 1 event, saw 0/);
    const passing = await runBeacon(["ci", "exec", "--min-events", "1", "--", "true"], { env });
    assert.equal(passing.code, 3, passing.stderr);
  });
});

Deno.test("ci exec: events the command sends are in the summary (gate passes)", async () => {
  await withHome(async (env) => {
    // The command plays Codex: it posts a session to the run's collector with the run's token.
    const helper = new URL("../support/ci_run.ts", import.meta.url).href;
    const script = `import { readCiStateFile, sendCiEvents } from "${helper}";\n` +
      `const state = await readCiStateFile(Deno.env.get("BEACON_CI_STATE")!);\n` +
      `Deno.exit((await sendCiEvents(state, "exec-session", { records: 4 })) === 200 ? 0 : 5);\n`;
    const file = `${env.HOME}/send.ts`;
    await Deno.writeTextFile(file, script);
    const run = await runBeacon(
      [
        "ci",
        "exec",
        "--json",
        "--require",
        "session_start,token_usage",
        "--",
        Deno.execPath(),
        "run",
        "--allow-all",
        "--quiet",
        "--config",
        new URL("../../deno.json", import.meta.url).pathname,
        file,
      ],
      { env: { ...env, DENO_DIR: Deno.env.get("DENO_DIR") ?? "" } },
    );
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.summary.events, 4);
    assert.equal(summary.summary.tokens.input, 102 + 103);
    assert.equal(summary.gates.failed, false);
  });
});

Deno.test("ci exec passes SIGTERM on to the command", async () => {
  await withHome(async (env) => {
    const bundle = await bundleBeacon();
    const marker = `${env.HOME}/trapped`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        ...BINARY_PERMISSION_FLAGS,
        bundle,
        "ci",
        "exec",
        "--",
        "sh",
        "-c",
        `trap 'echo got-term > ${marker}; exit 7' TERM; echo ready; while :; do sleep 0.05; done`,
      ],
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), "ready\n");
    child.kill("SIGTERM");
    reader.releaseLock();
    const output = await child.output();
    assert.equal(output.code, 7, new TextDecoder().decode(output.stderr));
    assert.equal(await Deno.readTextFile(marker), "got-term\n");
  });
});

Deno.test("ci exec needs a command after --", async () => {
  await withHome(async (env) => {
    const run = await runBeacon(["ci", "exec"], { env });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing the command to run after --/);
    const bare = await runBeacon(["ci", "exec", "echo", "hi"], { env });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /unexpected argument "echo"/);
  });
});
