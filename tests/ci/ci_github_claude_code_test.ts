/**
 * `beacon ci start` / `finish` / `exec` with the real Claude Code CLI (2.1.328, offline against
 * the mock Messages API), as GitHub Actions runs them (runner files simulated in a temporary
 * folder): `claude -p` runs with the variables `ci start` wrote to `$GITHUB_ENV`, its events land
 * in the run's own log, the summary counts them under Claude Code, and the runner's own
 * `~/.claude` is never touched. Then Codex and Claude Code in one run, each labelled, and
 * `ci exec -- claude -p ...`.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { startMockMessagesApi } from "../support/mock_messages_api.ts";
import { claudeCodeBinary, runClaudeCode } from "../support/claude_code_cli.ts";
import { mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { runBeacon } from "../support/beacon_bundle.ts";
import { makeGithubFiles } from "../support/github_files.ts";
import { isRunning, readCiStateFile, readEvents } from "../support/ci_run.ts";

const TOOL_CALLS = [
  { name: "Bash", input: { command: "echo TOOL-OUTPUT-MARKER", description: "Run the tests" } },
  { name: "Write", input: { file_path: "notes/result.txt", content: "done" } },
];
/** The runner's own Claude Code settings: must come out of the run byte for byte. */
const RUNNER_SETTINGS =
  '{\n  "model": "claude-sonnet",\n  "permissions": { "allow": ["Bash(ls:*)"] }\n}\n';

interface HarnessRow {
  harness: string;
  events: number;
  sessions: number;
  prompts: number;
  commands: number;
  files_changed: number;
  approvals: number;
  denials: number;
  by_kind: Record<string, number>;
  tokens: { responses: number; input: number; output: number; cached: number; cost_usd?: number };
}

/** Who triggered the run: a person, so never in the log raw under the default policy. */
const ACTOR = "grace-hopper-ci";

/** The run every event must name (the actor as the SHA-256 of the login: default policy). */
const EXPECTED_CI = {
  provider: "github-actions",
  repository: "acme/app",
  workflow: "Agents",
  job: "agents",
  run_id: "777",
  run_attempt: "3",
  url: "https://github.com/acme/app/actions/runs/777/attempts/3",
  sha: "feedc0de",
  ref: "refs/heads/main",
  actor: {
    mode: "hash",
    bytes: ACTOR.length,
    sha256: createHash("sha256").update(ACTOR).digest("hex"),
  },
};

/** A runner: HOME with its own ~/.claude, a checked-out repository, GitHub's files. */
async function runner() {
  const github = await makeGithubFiles();
  const home = join(github.root, "home");
  const workspace = join(github.root, "workspace");
  await Deno.mkdir(join(home, ".claude"), { recursive: true });
  await Deno.mkdir(join(workspace, "notes"), { recursive: true });
  await Deno.writeTextFile(join(home, ".claude", "settings.json"), RUNNER_SETTINGS);
  return {
    github,
    home,
    workspace,
    env: {
      ...github.env,
      HOME: home,
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_JOB: "agents",
      GITHUB_WORKFLOW: "Agents",
      GITHUB_RUN_ID: "777",
      GITHUB_RUN_ATTEMPT: "3",
      GITHUB_SHA: "feedc0de",
      GITHUB_REF: "refs/heads/main",
      GITHUB_ACTOR: ACTOR,
      GITHUB_SERVER_URL: "https://github.com",
    } as Record<string, string>,
    /**
     * Every path under the runner's ~/.claude with its text, and whether ~/.claude.json exists:
     * what the run must not change. (HOME also holds Deno's cache, which Beacon's own runs
     * from the bundle write to.)
     */
    async homeSnapshot(): Promise<Record<string, string>> {
      const files: Record<string, string> = {};
      const walk = async (dir: string) => {
        for await (const entry of Deno.readDir(dir)) {
          const path = join(dir, entry.name);
          if (entry.isDirectory) await walk(path);
          else files[path.slice(home.length)] = await Deno.readTextFile(path);
        }
      };
      await walk(join(home, ".claude"));
      files["~/.claude.json exists"] = String(
        await Deno.stat(join(home, ".claude.json")).then(() => true, () => false),
      );
      return files;
    },
    [Symbol.asyncDispose]: () => github[Symbol.asyncDispose](),
  };
}

async function readSummary(baseDir: string) {
  return JSON.parse(await Deno.readTextFile(join(baseDir, "summary.json")));
}

Deno.test("ci start -> real claude -p with the run's CLAUDE_CONFIG_DIR -> ci finish: Claude Code's figures; ~/.claude untouched", async () => {
  await using place = await runner();
  await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS, finalAnswer: "All done" });
  const before = await place.homeSnapshot();

  const start = await runBeacon(["ci", "start"], { env: place.env, cwd: place.workspace });
  assert.equal(start.code, 0, start.stderr);
  const outputs = await place.github.outputs();
  const ghEnv = await place.github.envFile();
  const state = await readCiStateFile(outputs["state-path"]);
  const token = (await Deno.readTextFile(state.token_file)).trim();
  assert.equal(start.stdout, `::add-mask::${token}\n`, "the token is masked, never shown");
  assert.ok(!start.stderr.includes(token));
  assert.ok(!(await Deno.readTextFile(place.env.GITHUB_ENV)).includes(token), "not in GITHUB_ENV");
  assert.ok(!(await Deno.readTextFile(place.env.GITHUB_OUTPUT)).includes(token));
  assert.deepEqual(state.harnesses.map((harness) => harness.name), ["codex", "claude-code"]);
  assert.equal(outputs["claude-config-dir"], join(state.base_dir, "claude-config"));
  assert.equal(ghEnv.CLAUDE_CONFIG_DIR, outputs["claude-config-dir"]);
  assert.equal(ghEnv.CODEX_HOME, outputs["codex-home"]);
  // The run's settings.json: written by the reconcile core, 0600, sending to the run's collector.
  const settingsPath = join(ghEnv.CLAUDE_CONFIG_DIR, "settings.json");
  assert.equal((await Deno.stat(settingsPath)).mode! & 0o777, 0o600);
  const settings = JSON.parse(await Deno.readTextFile(settingsPath));
  assert.equal(settings.env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://127.0.0.1:${state.port}`);
  assert.equal(settings.env.OTEL_EXPORTER_OTLP_HEADERS, `authorization=Bearer ${token}`);
  assert.equal(settings.env.OTEL_LOG_USER_PROMPTS, "0", "the default policy drops prompts");

  // The next step, as the runner runs it: GITHUB_ENV applied to the step's environment.
  const run = await runClaudeCode({
    home: place.home,
    cwd: place.workspace,
    baseUrl: api.baseUrl,
    prompt: "Please run the tests PROMPT-MARKER",
    args: ["--allowedTools", "Bash,Write"],
    env: {
      CLAUDE_CONFIG_DIR: ghEnv.CLAUDE_CONFIG_DIR,
      CODEX_HOME: ghEnv.CODEX_HOME,
      BEACON_CI_STATE: ghEnv.BEACON_CI_STATE,
      OTEL_RESOURCE_ATTRIBUTES: ghEnv.OTEL_RESOURCE_ATTRIBUTES,
    },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), "All done");

  const finish = await runBeacon(
    ["ci", "finish", "--require", "prompt,approval,command_run,token_usage"],
    { env: { ...place.env, ...ghEnv }, cwd: place.workspace },
  );
  assert.equal(finish.code, 0, finish.stdout + finish.stderr);
  assert.doesNotMatch(finish.stdout + finish.stderr, /warning/i);
  assert.ok(!(finish.stdout + finish.stderr).includes(token));
  assert.ok(!await isRunning(state.pid), "finish stopped the collector");

  const events = await readEvents(outputs["log-path"]);
  assert.ok(events.length > 0 && events.every((event) => event.harness === "claude-code"));
  // Whatever Claude Code sends as resource attributes, the run's collector names the run on
  // every event, the actor only hashed.
  for (const event of events) assert.deepEqual(event.ci, EXPECTED_CI, String(event.kind));
  assert.ok(!(await Deno.readTextFile(outputs["log-path"])).includes(ACTOR), "no raw actor");
  const responses = api.requests.filter((request) => request.method === "POST").length;
  const summaryJson = await readSummary(state.base_dir);
  assert.deepEqual(summaryJson.run_context, EXPECTED_CI, "the summary names the same run");
  assert.ok(!JSON.stringify(summaryJson).includes(ACTOR));
  const summary = summaryJson.summary;
  assert.equal(summary.events, events.length);
  const [claude, ...others] = summary.by_harness as HarnessRow[];
  assert.deepEqual(others, [], "Codex ran nothing: it has no row");
  assert.equal(claude.harness, "claude-code");
  assert.deepEqual(
    [claude.sessions, claude.prompts, claude.commands, claude.files_changed],
    [1, 1, 1, 1],
  );
  assert.deepEqual([claude.approvals, claude.denials], [2, 0], "--allowedTools accepted both");
  assert.equal(claude.tokens.responses, responses);
  assert.equal(claude.tokens.input, 1501 * responses);
  assert.equal(claude.tokens.output, 42 * responses);
  assert.equal(claude.tokens.cached, 104 * responses);
  assert.ok(Number(claude.tokens.cost_usd) > 0, "Claude Code's own cost is summed");
  const [session] = summary.tokens_by_session;
  assert.equal(session.harness, "claude-code");
  assert.equal(session.session_id, events.find((event) => event.kind === "prompt")?.session_id);
  assert.equal(session.model, events.find((event) => event.kind === "token_usage")?.model);
  const stepSummary = await place.github.stepSummary();
  assert.match(stepSummary, /^### Beacon: what Claude Code did in this run$/m);
  assert.match(
    stepSummary,
    /^Run: github-actions · acme\/app · Agents · agents · \[run 777, attempt 3\]/m,
  );
  assert.ok(!stepSummary.includes(ACTOR));
  assert.match(stepSummary, /^\| Claude Code \| 1 \| 1 \| 1 \| 1 \| 0 \| 2 \| 0 \| 0 \| /m);
  assert.match(stepSummary, /\| \$\d+\.\d{4} \|$/m);

  // The runner's own Claude Code folder and HOME: exactly as before (no ~/.claude.json either).
  assert.deepEqual(await place.homeSnapshot(), before);
  // Claude Code kept its session files in the run's folder instead.
  assert.ok((await Deno.stat(join(ghEnv.CLAUDE_CONFIG_DIR, ".claude.json"))).isFile);
  await assert.rejects(Deno.stat(state.token_file), Deno.errors.NotFound, "token removed");
});

Deno.test("Codex and Claude Code in one CI run: each counted and labelled under its own harness", async () => {
  await using place = await runner();
  await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS.slice(0, 1) });
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "done" });
  try {
    // The runner's Codex config (the mock provider), inherited into the run's CODEX_HOME.
    const runnerCodexHome = join(place.home, ".codex");
    await Deno.mkdir(runnerCodexHome);
    await Deno.writeTextFile(
      join(runnerCodexHome, "config.toml"),
      mockProviderToml(provider.baseUrl),
    );
    const start = await runBeacon(["ci", "start", "--inherit-config", "codex"], {
      env: place.env,
      cwd: place.workspace,
    });
    assert.equal(start.code, 0, start.stderr);
    const ghEnv = await place.github.envFile();
    const stepEnv = {
      CODEX_HOME: ghEnv.CODEX_HOME,
      CLAUDE_CONFIG_DIR: ghEnv.CLAUDE_CONFIG_DIR,
      OTEL_RESOURCE_ATTRIBUTES: ghEnv.OTEL_RESOURCE_ATTRIBUTES,
    };
    const [claude, codex] = await Promise.all([
      runClaudeCode({
        home: place.home,
        cwd: place.workspace,
        baseUrl: api.baseUrl,
        prompt: "Please run the tests",
        args: ["--allowedTools", "Bash"],
        env: stepEnv,
      }),
      runCodexExec({
        codexHome: ghEnv.CODEX_HOME,
        cwd: place.workspace,
        prompt: "run it",
        env: { ...stepEnv, HOME: place.home },
      }),
    ]);
    assert.equal(claude.code, 0, claude.stderr);
    assert.equal(codex.code, 0, codex.stderr);
    const finish = await runBeacon(["ci", "finish", "--require", "session_start,token_usage"], {
      env: { ...place.env, ...ghEnv },
      cwd: place.workspace,
    });
    assert.equal(finish.code, 0, finish.stdout + finish.stderr);

    const state = await readCiStateFile(ghEnv.BEACON_CI_STATE);
    const events = await readEvents(state.log_path);
    const summary = (await readSummary(state.base_dir)).summary;
    for (const event of events) assert.deepEqual(event.ci, EXPECTED_CI, String(event.harness));
    const rows = new Map((summary.by_harness as HarnessRow[]).map((row) => [row.harness, row]));
    assert.deepEqual([...rows.keys()].sort(), ["claude-code", "codex"]);
    for (const [harness, row] of rows) {
      const own = events.filter((event) => event.harness === harness);
      assert.equal(row.events, own.length, `${harness}: its own events only`);
      assert.equal(row.sessions, 1, harness);
      assert.equal(row.commands, 1, harness);
      assert.equal(
        row.tokens.responses,
        own.filter((event) => event.kind === "token_usage").length,
        harness,
      );
    }
    assert.equal(rows.get("codex")!.tokens.cost_usd, undefined, "Codex reports no cost");
    assert.ok(Number(rows.get("claude-code")!.tokens.cost_usd) > 0);
    assert.equal(
      rows.get("claude-code")!.tokens.input,
      1501 * rows.get("claude-code")!.tokens.responses,
    );
    assert.equal(summary.events, events.length);
    assert.equal(summary.sessions, 2);
    const models = (summary.tokens_by_model as { harness: string; model: string }[])
      .map((row) => `${row.harness}:${row.model}`).sort();
    assert.equal(models.length, 2);
    assert.ok(models[1].startsWith("codex:mock-model"), models.join(" "));
    assert.ok(models[0].startsWith("claude-code:"), models.join(" "));
    const stepSummary = await place.github.stepSummary();
    assert.match(stepSummary, /^### Beacon: what Codex CLI and Claude Code did in this run$/m);
    assert.match(stepSummary, /^\| Codex CLI \| 1 \| 1 \| 1 \| /m);
    assert.match(stepSummary, /^\| Claude Code \| 1 \| 1 \| 1 \| /m);
    assert.match(stepSummary, /^\| \*\*All\*\* \| 2 \| 2 \| 2 \| /m);
  } finally {
    await provider.close();
  }
});

Deno.test("ci exec -- claude -p: the command sees the run's CLAUDE_CONFIG_DIR; --harness claude-code prepares only it", async () => {
  await using place = await runner();
  await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS.slice(0, 1) });
  const before = await place.homeSnapshot();
  const { GITHUB_ENV: _ignored, ...env } = place.env;
  const exec = await runBeacon(
    [
      "ci",
      "exec",
      "--harness",
      "claude-code",
      "--require",
      "command_run,token_usage",
      "--json",
      "--",
      claudeCodeBinary(),
      "-p",
      "Please run the tests",
      "--allowedTools",
      "Bash",
    ],
    {
      env: {
        ...env,
        ANTHROPIC_BASE_URL: api.baseUrl,
        ANTHROPIC_API_KEY: "sk-ant-fake-000",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      },
      cwd: place.workspace,
    },
  );
  assert.equal(exec.code, 0, exec.stdout + exec.stderr);
  const outputs = await place.github.outputs();
  assert.equal(outputs["codex-home"], undefined, "--harness claude-code: no Codex folder");
  const state = await readCiStateFile(outputs["state-path"]);
  assert.deepEqual(state.harnesses.map((harness) => harness.name), ["claude-code"]);
  const json = JSON.parse(exec.stdout.slice(exec.stdout.indexOf("\n{") + 1));
  const [claude] = json.summary.by_harness as HarnessRow[];
  assert.equal(claude.harness, "claude-code");
  assert.deepEqual([claude.sessions, claude.prompts, claude.commands], [1, 1, 1]);
  assert.ok(claude.tokens.responses >= 2);
  assert.deepEqual(await place.homeSnapshot(), before, "the runner's ~/.claude is untouched");
});
