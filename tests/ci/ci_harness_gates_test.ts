/**
 * Per-harness CI gates through the bundled CLI: `--require claude-code:token_usage` and
 * `[ci] require = ["codex:session_start"]` count only that harness's events, and a failed one
 * says what each harness sent, in text, JSON and the Markdown summary.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runBeacon } from "../support/beacon_bundle.ts";
import { readCiStateFile, sendCiEvents } from "../support/ci_run.ts";

async function startRun(policy: string) {
  const home = await Deno.makeTempDir({ prefix: "beacon-ci-harness-gates-" });
  const env = { HOME: home };
  await Deno.writeTextFile(join(home, "policy.toml"), policy);
  const start = await runBeacon(
    [
      "ci",
      "start",
      "--base-dir",
      join(home, "run"),
      "--json",
      "--policy",
      join(home, "policy.toml"),
    ],
    { env },
  );
  assert.equal(start.code, 0, start.stderr);
  const statePath = JSON.parse(start.stdout).env.BEACON_CI_STATE as string;
  return {
    home,
    state: await readCiStateFile(statePath),
    finish: (...flags: string[]) =>
      runBeacon(["ci", "finish", "--state", statePath, ...flags], { env }),
    async [Symbol.asyncDispose]() {
      await runBeacon(["ci", "finish", "--state", statePath], { env });
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

Deno.test("ci finish: a requirement naming a harness counts only that harness's events", async () => {
  const policy = `version = 1\n[ci]\nrequire = ["codex:session_start", "token_usage"]\n`;

  // Codex sent everything; the policy's per-harness requirement and a flag's pass.
  await using passing = await startRun(policy);
  assert.equal(await sendCiEvents(passing.state, "s-1", { records: 3 }), 200);
  const passed = await passing.finish("--json", "--require", "codex:token_usage,session_start");
  assert.equal(passed.code, 0, passed.stderr);
  const passedGates = JSON.parse(passed.stdout).gates;
  assert.deepEqual(passedGates.require, ["codex:token_usage", "session_start"]);
  assert.equal(passedGates.results[0].gate, "require codex:token_usage");
  assert.equal(passedGates.results[0].passed, true);

  // Codex's token usage does not satisfy Claude Code's: exit 3, and what each harness sent.
  await using failing = await startRun(
    `version = 1\n[ci]\nrequire = ["codex:session_start", "claude-code:token_usage"]\n`,
  );
  assert.equal(await sendCiEvents(failing.state, "s-2", { records: 3 }), 200);
  const failed = await failing.finish();
  assert.equal(failed.code, 3, failed.stderr);
  assert.match(
    failed.stderr,
    /error: CI gate require claude-code:token_usage failed: expected at least 1 token_usage event from claude-code, saw 0 \(codex: 1\)/,
  );
  assert.doesNotMatch(failed.stderr, /require codex:session_start failed/);
  assert.match(failed.stdout, /ok {3}gate require codex:session_start: .*saw 1 \(codex: 1\)/);
  assert.match(failed.stdout, /FAIL gate require claude-code:token_usage: .*saw 0 \(codex: 1\)/);

  const markdown = await Deno.readTextFile(join(failing.state.base_dir, "summary.md"));
  assert.match(
    markdown,
    /\| require claude-code:token_usage \| at least 1 token_usage event from claude-code \| 0 \(codex: 1\) \| ❌ \|/,
  );
  const json = JSON.parse(await Deno.readTextFile(join(failing.state.base_dir, "summary.json")));
  const gate = json.gates.results.find((r: { gate: string }) =>
    r.gate === "require claude-code:token_usage"
  );
  assert.deepEqual(gate, {
    gate: "require claude-code:token_usage",
    passed: false,
    expected: "at least 1 token_usage event from claude-code",
    seen: "0 (codex: 1)",
    seen_by_harness: { codex: 1 },
  });
  assert.equal(json.gates.fails_run, true);
});

Deno.test("ci finish --require: an unknown harness is a usage error naming it and the choices", async () => {
  await using run = await startRun("version = 1\n");
  const bad = await run.finish("--require", "claude:token_usage");
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(
    bad.stderr,
    /--require: unknown harness "claude" in "claude:token_usage"; write KIND or HARNESS:KIND, harnesses: codex, claude-code/,
  );
});

Deno.test("ci start: a policy whose [ci] require names an unknown harness is refused", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-ci-harness-gates-" });
  try {
    await Deno.writeTextFile(
      join(home, "policy.toml"),
      `version = 1\n[ci]\nrequire = ["codx:session_start"]\n`,
    );
    const start = await runBeacon(
      ["ci", "start", "--base-dir", join(home, "run"), "--policy", join(home, "policy.toml")],
      { env: { HOME: home } },
    );
    assert.equal(start.code, 1, start.stderr);
    assert.match(
      start.stderr,
      /ci\.require\.0: unknown harness "codx" in "codx:session_start" \(did you mean codex\?\)/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
