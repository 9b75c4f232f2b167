/**
 * `beacon ci start` / `finish` as GitHub Actions runs them (runner files simulated in a temporary
 * folder), with the real Codex CLI 0.169.0 driven by the mock model provider: Codex reads the
 * `codex-home` output, its events land in the run's own log, and the summary counts them.
 * Then codex-action's two edits to the run's config.toml: Codex still exports, and
 * `codex exec --strict-config` accepts the file.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  checkCodexAcceptsConfig,
  createCodexWorkspace,
  mockProviderToml,
  runCodexExec,
} from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { runBeacon } from "../support/beacon_bundle.ts";
import { makeGithubFiles } from "../support/github_files.ts";
import { isRunning, readCiStateFile, readEvents } from "../support/ci_run.ts";

const CONTEXT = {
  GITHUB_REPOSITORY: "acme/app",
  GITHUB_WORKFLOW: "CI, nightly",
  GITHUB_JOB: "codex",
  GITHUB_RUN_ID: "4242",
  GITHUB_RUN_ATTEMPT: "1",
  GITHUB_SHA: "0123abcd",
  GITHUB_REF: "refs/pull/17/merge",
  GITHUB_ACTOR: "ada-lovelace-ci",
  GITHUB_SERVER_URL: "https://github.com",
};

/**
 * The `ci` object every event of the run must carry: the run's metadata as the runner set it,
 * the actor (a person) only as the SHA-256 of the login (the default policy's identity rule),
 * computed here independently of Beacon's code.
 */
const EXPECTED_CI = {
  provider: "github-actions",
  repository: "acme/app",
  workflow: "CI, nightly",
  job: "codex",
  run_id: "4242",
  run_attempt: "1",
  url: "https://github.com/acme/app/actions/runs/4242/attempts/1",
  sha: "0123abcd",
  ref: "refs/pull/17/merge",
  pr: "17",
  actor: {
    mode: "hash",
    bytes: CONTEXT.GITHUB_ACTOR.length,
    sha256: createHash("sha256").update(CONTEXT.GITHUB_ACTOR).digest("hex"),
  },
};

Deno.test("ci start -> real Codex with the codex-home output -> ci finish: events, summary, step summary", async () => {
  await using github = await makeGithubFiles();
  await using workspace = await createCodexWorkspace();
  const provider = await startMockModelProvider({
    shellCommand: "echo hello",
    applyPatch: "*** Begin Patch\n*** Add File: a.txt\n+a\n*** End Patch",
    finalAnswer: "done",
    usage: { inputTokens: 1000, outputTokens: 20, cachedTokens: 400, reasoningTokens: 5 },
  });
  try {
    // The user's own Codex config (the mock provider), inherited byte for byte.
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));
    const env = {
      ...github.env,
      ...CONTEXT,
      HOME: workspace.root,
      CODEX_HOME: workspace.codexHome,
      GITHUB_WORKSPACE: workspace.cwd,
      OTEL_RESOURCE_ATTRIBUTES: "team=ml",
      RUNNER_TRACKING_ID: "github_should_not_reach_the_collector",
    };
    const start = await runBeacon(["ci", "start", "--inherit-codex-config"], { env });
    assert.equal(start.code, 0, start.stderr);
    const state0 = JSON.parse(
      await Deno.readTextFile((await github.outputs())["state-path"]),
    );
    const token = (await Deno.readTextFile(state0.token_file)).trim();
    assert.equal(
      start.stdout,
      `::add-mask::${token}\n`,
      "on GitHub, only the token's mask on stdout (nothing for eval)",
    );

    const outputs = await github.outputs();
    assert.deepEqual(Object.keys(outputs).sort(), [
      "claude-config-dir",
      "codex-home",
      "collector-url",
      "log-path",
      "state-path",
    ]);
    assert.ok(outputs["codex-home"].startsWith(join(github.env.RUNNER_TEMP, "beacon")));
    const ghEnv = await github.envFile();
    assert.equal(ghEnv.CODEX_HOME, outputs["codex-home"]);
    assert.equal(ghEnv.BEACON_CI_STATE, outputs["state-path"]);
    const attributes = ghEnv.OTEL_RESOURCE_ATTRIBUTES;
    assert.ok(attributes.startsWith("team=ml,beacon.ci.provider=github-actions,"), attributes);
    assert.ok(attributes.includes("beacon.ci.workflow=CI%2C%20nightly"), attributes);
    assert.ok(attributes.includes("beacon.ci.pr=17"), attributes);
    assert.ok(attributes.includes("beacon.ci.run_id=4242"), attributes);

    const state = await readCiStateFile(outputs["state-path"]);
    assert.notEqual(state.port, 4318);
    assert.ok(await isRunning(state.pid), "the collector outlives `ci start`");
    const collectorEnv = await Deno.readTextFile(`/proc/${state.pid}/environ`);
    assert.ok(!collectorEnv.includes("RUNNER_TRACKING_ID"), "the runner cannot reap it");
    const config = await Deno.readTextFile(join(outputs["codex-home"], "config.toml"));
    assert.ok(config.startsWith(mockProviderToml(provider.baseUrl)), "inherited byte for byte");
    assert.ok(config.includes(`http://127.0.0.1:${state.port}/v1/logs`));

    const run = await runCodexExec({
      codexHome: ghEnv.CODEX_HOME,
      cwd: workspace.cwd,
      prompt: "run it",
      args: ["-s", "workspace-write"],
      env: { HOME: workspace.root, OTEL_RESOURCE_ATTRIBUTES: attributes },
    });
    assert.equal(run.code, 0, run.stderr);

    const finish = await runBeacon(
      ["ci", "finish", "--require", "session_start,token_usage", "--min-events", "5"],
      { env: { ...env, BEACON_CI_STATE: ghEnv.BEACON_CI_STATE } },
    );
    assert.equal(finish.code, 0, finish.stdout + finish.stderr);
    assert.ok(!await isRunning(state.pid), "finish stopped the collector");

    const events = await readEvents(outputs["log-path"]);
    const responses = provider.requests.filter((request) => request.kind === "agent").length;
    const usage = events.filter((event) => event.kind === "token_usage");
    assert.equal(usage.length, responses);
    const summary = JSON.parse(await Deno.readTextFile(join(state.base_dir, "summary.json")));
    assert.equal(summary.summary.events, events.length);
    assert.equal(summary.summary.sessions, 1);
    assert.equal(summary.summary.prompts, 1);
    assert.equal(summary.summary.commands, 1);
    assert.equal(summary.summary.files_changed, 1);
    assert.equal(summary.summary.tokens.input, 1000 * responses);
    assert.equal(summary.summary.tokens.output, 20 * responses);
    assert.equal(summary.summary.tokens.cached, 400 * responses);
    assert.equal(summary.summary.tokens_by_session.length, 1);
    assert.equal(summary.summary.tokens_by_session[0].input, 1000 * responses);
    assert.deepEqual(
      summary.summary.tokens_by_model.map((row: { model: string }) => row.model),
      ["mock-model"],
    );
    // Every event names the run, from the collector (Codex got the raw actor in its resource
    // attributes too: the log never has it), and the summary names it with the same values.
    assert.ok(events.length >= 5);
    for (const event of events) assert.deepEqual(event.ci, EXPECTED_CI, String(event.kind));
    const logText = await Deno.readTextFile(outputs["log-path"]);
    assert.ok(!logText.includes(CONTEXT.GITHUB_ACTOR), "the actor is not in the log raw");
    assert.deepEqual(summary.run_context, EXPECTED_CI);
    assert.ok(!JSON.stringify(summary).includes(CONTEXT.GITHUB_ACTOR), "summary.json neither");
    assert.match(
      finish.stdout,
      new RegExp(`Tokens\\s+${(1000 * responses).toLocaleString("en-US")} in`),
    );

    const stepSummary = await github.stepSummary();
    assert.ok(
      stepSummary.includes(
        "Run: github-actions · acme/app · CI, nightly · codex · " +
          "[run 4242, attempt 1](https://github.com/acme/app/actions/runs/4242/attempts/1) · " +
          "PR #17 · refs/pull/17/merge · 0123abcd",
      ),
      stepSummary,
    );
    for (const text of [stepSummary, finish.stdout, finish.stderr]) {
      assert.ok(!text.includes(CONTEXT.GITHUB_ACTOR), "nor in the summaries");
    }
    assert.match(stepSummary, /\| Sessions \| Prompts \| Commands \|/);
    assert.match(stepSummary, /\| 1 \| 1 \| 1 \| 1 \| 0 \|/);
    assert.match(stepSummary, /`[0-9a-f-]{36}` \| mock-model \|/);
    assert.equal((await github.outputs())["summary-path"], join(state.base_dir, "summary.md"));
    assert.equal(
      await Deno.readTextFile(join(state.base_dir, "summary.md")),
      stepSummary.trimEnd() + "\n",
    );
    await assert.rejects(Deno.stat(state.token_file), Deno.errors.NotFound, "token removed");
    await Deno.stat(outputs["log-path"]); // the log stays for upload
  } finally {
    await provider.close();
  }
});

Deno.test("codex-action's edits to the run's config.toml: Codex still exports, --strict-config accepts it, finish is clean", async () => {
  await using github = await makeGithubFiles();
  await using workspace = await createCodexWorkspace();
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "ok" });
  try {
    const env = { ...github.env, HOME: workspace.root, GITHUB_WORKSPACE: workspace.cwd };
    const start = await runBeacon(["ci", "start"], { env });
    assert.equal(start.code, 0, start.stderr);
    const outputs = await github.outputs();
    const configPath = join(outputs["codex-home"], "config.toml");
    // What openai/codex-action v1.8 does with an API key: string concatenation.
    const before = await Deno.readTextFile(configPath);
    await Deno.writeTextFile(
      configPath,
      `model_provider = "codex-action-responses-proxy"\n` + before +
        `\n[model_providers.codex-action-responses-proxy]\nname = "Codex Action Responses Proxy"\n` +
        `base_url = "${provider.baseUrl}"\nwire_api = "responses"\n`,
    );
    const check = await checkCodexAcceptsConfig(outputs["codex-home"], provider.baseUrl);
    assert.ok(check.accepted, check.message);

    const run = await runCodexExec({
      codexHome: outputs["codex-home"],
      cwd: workspace.cwd,
      prompt: "hello",
      args: ["-c", `model="mock-model"`],
      env: { HOME: workspace.root },
    });
    assert.equal(run.code, 0, run.stderr);
    const finish = await runBeacon(
      ["ci", "finish", "--state", outputs["state-path"], "--require", "session_start,command_run"],
      { env },
    );
    assert.equal(finish.code, 0, finish.stdout + finish.stderr);
    assert.doesNotMatch(finish.stdout + finish.stderr, /warning|error/i);
    const events = await readEvents(outputs["log-path"]);
    // Two Codex runs (the strict check and the turn) exported to the run's collector.
    assert.equal(new Set(events.map((event) => event.session_id).filter(Boolean)).size, 2);
    assert.ok(events.some((event) => event.kind === "command_run"));
  } finally {
    await provider.close();
  }
});
