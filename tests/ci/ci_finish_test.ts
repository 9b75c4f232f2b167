/**
 * `beacon ci finish`: gates from flags and from the policy's `[ci]` table, finish after the
 * run's collector was SIGKILLed, and the clear failures (no state, finished twice, log deleted).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runBeacon } from "../support/beacon_bundle.ts";
import { isRunning, readCiStateFile, sendCiEvents } from "../support/ci_run.ts";
import { waitUntil } from "../support/wait_until.ts";

async function startRun(extraArgs: string[] = [], policy?: string) {
  const home = await Deno.makeTempDir({ prefix: "beacon-ci-finish-" });
  const env = { HOME: home };
  const args = ["ci", "start", "--base-dir", join(home, "run"), "--json", ...extraArgs];
  if (policy) {
    await Deno.writeTextFile(join(home, "policy.toml"), policy);
    args.push("--policy", join(home, "policy.toml"));
  }
  const start = await runBeacon(args, { env });
  assert.equal(start.code, 0, start.stderr);
  const statePath = JSON.parse(start.stdout).env.BEACON_CI_STATE as string;
  return {
    home,
    env,
    statePath,
    state: await readCiStateFile(statePath),
    finish: (...flags: string[]) =>
      runBeacon(["ci", "finish", "--state", statePath, ...flags], { env }),
    async [Symbol.asyncDispose]() {
      await runBeacon(["ci", "finish", "--state", statePath], { env });
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

Deno.test("gates from flags: pass, fail with what was expected and seen, warn only", async () => {
  await using run = await startRun();
  assert.equal(await sendCiEvents(run.state, "s-1", { records: 3 }), 200);
  const failed = await run.finish("--min-events", "4", "--require", "session_start,agent_response");
  assert.equal(failed.code, 3, failed.stderr);
  assert.match(failed.stderr, /gate min-events failed: expected at least 4 events, saw 3/);
  assert.match(
    failed.stderr,
    /gate require agent_response failed: expected at least 1 agent_response event, saw 0/,
  );
  assert.doesNotMatch(failed.stderr, /require session_start failed/);

  await using again = await startRun();
  assert.equal(await sendCiEvents(again.state, "s-2", { records: 3 }), 200);
  const warned = await again.finish("--min-events", "4", "--require-telemetry=false");
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /warning: CI gate min-events failed.*not failing the run/);

  await using third = await startRun();
  assert.equal(await sendCiEvents(third.state, "s-3", { records: 3 }), 200);
  const passed = await third.finish(
    "--min-events",
    "3",
    "--require",
    "session_start,prompt,token_usage",
  );
  assert.equal(passed.code, 0, passed.stderr);
  assert.match(passed.stdout, /ok {3}gate require token_usage/);
});

Deno.test("gates from the policy's [ci] table; flags override them", async () => {
  const policy = `version = 1\n[ci]\nmin_events = 10\nrequire = ["token_usage"]\n`;
  await using run = await startRun([], policy);
  assert.equal(await sendCiEvents(run.state, "s-1", { records: 3 }), 200);
  const failed = await run.finish();
  assert.equal(failed.code, 3);
  assert.match(failed.stderr, /expected at least 10 events, saw 3/);

  await using overridden = await startRun([], policy);
  assert.equal(await sendCiEvents(overridden.state, "s-1", { records: 3 }), 200);
  const passed = await overridden.finish("--min-events", "2");
  assert.equal(passed.code, 0, passed.stderr);
});

Deno.test("the run's collector requires the run's token", async () => {
  await using run = await startRun();
  assert.equal(await sendCiEvents(run.state, "s-1", { token: "x".repeat(32) }), 401);
  const finish = await run.finish("--json");
  assert.equal(JSON.parse(finish.stdout).summary.events, 0);
});

Deno.test("finish after the run's collector was SIGKILLed: acknowledged events reported, gates decided", async () => {
  await using run = await startRun();
  assert.equal(await sendCiEvents(run.state, "killed-session", { records: 5 }), 200);
  Deno.kill(run.state.pid, "SIGKILL");
  await waitUntil("the SIGKILLed collector to exit", async () => !await isRunning(run.state.pid));
  const finish = await run.finish(
    "--json",
    "--require",
    "session_start,token_usage",
    "--min-events",
    "5",
  );
  assert.equal(finish.code, 0, finish.stderr);
  const report = JSON.parse(finish.stdout);
  assert.equal(report.collector, "not-running");
  assert.equal(report.summary.events, 5);
  assert.equal(report.summary.tokens.responses, 3);
  assert.match(report.warnings.join("\n"), /was not running at finish/);
  await using empty = await startRun();
  const gated = await empty.finish("--min-events", "1");
  assert.equal(gated.code, 3);
});

Deno.test("finish without start, finish twice, a deleted log: one clear line, exit 1", async () => {
  const home = await Deno.makeTempDir({ prefix: "beacon-ci-nostate-" });
  try {
    const none = await runBeacon(["ci", "finish"], { env: { HOME: home } });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error: Cannot finish the CI run: no state given\..*\n$/);
    const missing = await runBeacon(["ci", "finish"], {
      env: { HOME: home, BEACON_CI_STATE: join(home, "nope", "state.json") },
    });
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      /no state file at ".*nope\/state.json". Run `beacon ci start` first/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }

  await using run = await startRun();
  assert.equal((await run.finish()).code, 0);
  const twice = await run.finish();
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /already finished at /);
  await assert.rejects(Deno.stat(run.state.token_file), Deno.errors.NotFound);

  await using deleted = await startRun();
  await Deno.remove(deleted.state.log_path);
  const lost = await deleted.finish();
  assert.equal(lost.code, 1);
  assert.match(lost.stderr, /its log ".*runtime.jsonl" is missing/);
  assert.ok(!await isRunning(deleted.state.pid), "the collector was stopped anyway");
});

Deno.test("a changed Beacon setting in the run's config is reported at finish", async () => {
  await using run = await startRun();
  const config = run.state.harnesses.find((harness) => harness.name === "codex")!.config_path;
  const text = await Deno.readTextFile(config);
  await Deno.writeTextFile(
    config,
    text.replace(/trace_exporter = "none"/, 'trace_exporter = "statsig"'),
  );
  const finish = await run.finish();
  assert.equal(finish.code, 0);
  assert.match(
    finish.stdout,
    /warning: Beacon's settings in .* were changed during the run \(otel.trace_exporter\)/,
  );
});
