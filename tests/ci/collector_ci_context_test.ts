/**
 * `collector run` and the CI run context: an endpoint's collector (no `--ci-context`) writes no
 * `ci` field even when the real Codex CLI exports a CI job's `OTEL_RESOURCE_ATTRIBUTES`
 * (`beacon.ci.*`): the run is named by the collector that records it, never taken from what a
 * harness sends. A context file that is not one `ci start` wrote stops the collector from
 * starting, with a message that names it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createCodexWorkspace, mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";
import { reservePort } from "../support/reserve_port.ts";

Deno.test("an endpoint's collector writes no ci field, whatever resource attributes Codex sends", async () => {
  await using workspace = await createCodexWorkspace();
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "ok" });
  using port = reservePort();
  try {
    const logPath = join(workspace.root, "runtime.jsonl");
    const policyPath = join(workspace.root, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[collector]\nlisten = "127.0.0.1:${port.port}"\n` +
        `[runtime_log]\npath = "${logPath}"\n`,
    );
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));
    const env = { HOME: workspace.root, CODEX_HOME: workspace.codexHome };
    const apply = await runBeacon(["apply", "--policy", policyPath], { env });
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);

    await using collector = await startCollectorProcess({ policyPath, home: workspace.root });
    assert.doesNotMatch(collector.output(), /CI run/);
    const run = await runCodexExec({
      ...workspace,
      prompt: "run it",
      env: {
        HOME: workspace.root,
        OTEL_RESOURCE_ATTRIBUTES:
          "beacon.ci.provider=github-actions,beacon.ci.run_id=4242,beacon.ci.actor=ada-ci",
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await collector.stop("SIGTERM")).code, 0, collector.output());

    const events = await readBeaconEvents(logPath);
    assert.ok(events.some((event) => event.kind === "command_run"), "Codex's turn was recorded");
    for (const event of events) assert.ok(!("ci" in event), `no ci on ${event.kind}`);
    assert.ok(!(await Deno.readTextFile(logPath)).includes("ada-ci"));
  } finally {
    await provider.close();
  }
});

/**
 * A temporary home with a policy for a collector on a reserved port, and `collectorRun(...flags)`:
 * `beacon collector run --policy` with those flags, in that home.
 */
async function collectorHome() {
  const tmp = await makeTempHome();
  const port = reservePort();
  const policyPath = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:${port.port}"\n` +
      `[runtime_log]\npath = "${join(tmp.home, "runtime.jsonl")}"\n`,
  );
  return {
    home: tmp.home,
    collectorRun: (...flags: string[]) =>
      runBeacon(["collector", "run", "--policy", policyPath, ...flags], {
        env: { HOME: tmp.home },
      }),
    async [Symbol.asyncDispose]() {
      port[Symbol.dispose]();
      await tmp[Symbol.asyncDispose]();
    },
  };
}

Deno.test("collector run --ci-context with a file ci start did not write: refused, naming the file", async () => {
  await using setup = await collectorHome();
  const { home, collectorRun } = setup;
  const contextPath = join(home, "ci_context.json");
  await Deno.writeTextFile(contextPath, `{"provider": "github-actions", "run_id": 42}`);
  const refused = await collectorRun("--ci-context", contextPath);
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(`Cannot use the CI context file "${contextPath}": "run_id" must be a string`),
  );
  assert.doesNotMatch(refused.stderr, /^\s+at /m, "no stack trace");

  const missing = await collectorRun("--ci-context", join(home, "nope.json"));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Cannot read the CI context file ".*nope\.json": no such file/);
});

Deno.test("collector run --token-file: a missing file and a malformed token are refused, naming the file", async () => {
  await using setup = await collectorHome();
  const { home, collectorRun } = setup;
  const missing = await collectorRun("--token-file", join(home, "no-token"));
  assert.equal(missing.code, 1, missing.stdout + missing.stderr);
  assert.match(missing.stderr, /Cannot read the token file ".*no-token": no such file/);

  const shortPath = join(home, "short-token");
  await Deno.writeTextFile(shortPath, "too short\n");
  const short = await collectorRun("--token-file", shortPath);
  assert.equal(short.code, 1, short.stdout + short.stderr);
  assert.match(short.stderr, /Cannot use the token file ".*short-token": expected one line/);
  assert.doesNotMatch(short.stderr, /too short/, "the file's content is not echoed");
  for (const run of [missing, short]) assert.doesNotMatch(run.stderr, /^\s+at /m);
});
