/**
 * The composite Action run step by step with bash, as the runner runs it (see
 * tests/support/run_composite_action.ts), with `binary-path` pointing at a wrapper that runs the
 * single-file bundle: `start`, a real Codex CLI 0.169.0 turn with CODEX_HOME from the Action's
 * output and codex-action's two edits applied to its config, then `finish`; `exec` around a Codex
 * turn, a failing command and a failed gate; inputs that try to inject shell commands.
 */
import assert from "node:assert/strict";
import { BINARY_PERMISSION_FLAGS, bundleBeacon } from "../support/beacon_bundle.ts";
import { MOCK_API_KEY_ENV, MOCK_MODEL, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { type ActionRun, runCompositeAction } from "../support/run_composite_action.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";
import { startMockMessagesApi } from "../support/mock_messages_api.ts";
import { runClaudeCode } from "../support/claude_code_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

interface Job extends AsyncDisposable {
  dir: string;
  env: Record<string, string>;
  beacon: string;
  run(inputs: Record<string, string>, env?: Record<string, string>): Promise<ActionRun>;
}

/** A fake GitHub Actions job: its env, RUNNER_TEMP and step-summary file in a temp folder. */
async function makeJob(): Promise<Job> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-action-" });
  for (const sub of ["home", "runner-temp", "work", "steps"]) await Deno.mkdir(`${dir}/${sub}`);
  const bundle = await bundleBeacon();
  const beacon = `${dir}/beacon`;
  await Deno.writeTextFile(
    beacon,
    `#!/bin/sh\nexec '${Deno.execPath()}' run --quiet --no-prompt ${
      BINARY_PERMISSION_FLAGS.join(" ")
    } '${bundle}' "$@"\n`,
    { mode: 0o755 },
  );
  await Deno.writeTextFile(`${dir}/step-summary.md`, "");
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: `${dir}/home`,
    NO_COLOR: "1",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_JOB: "codex",
    GITHUB_REPOSITORY: "asymptote/example",
    GITHUB_WORKFLOW: "ci",
    GITHUB_RUN_ID: "4242",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_STEP_SUMMARY: `${dir}/step-summary.md`,
    RUNNER_TEMP: `${dir}/runner-temp`,
    RUNNER_OS: "Linux",
    RUNNER_ARCH: "X64",
    DENO: Deno.execPath(),
  };
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  let step = 0;
  const job: Job = {
    dir,
    env,
    beacon,
    async run(inputs, extraEnv = {}) {
      const tempDir = `${dir}/steps/${++step}`;
      await Deno.mkdir(tempDir);
      const result = await runCompositeAction({
        actionPath: ROOT,
        inputs: { "binary-path": beacon, ...inputs },
        env: { ...job.env, ...extraEnv },
        github: { job: "codex", action_ref: "", action_repository: "" },
        cwd: `${dir}/work`,
        tempDir,
      });
      job.env = { ...result.env };
      for (const name of Object.keys(extraEnv)) delete job.env[name];
      return result;
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  return job;
}

function describe(run: ActionRun): string {
  return run.steps.map((step) =>
    `--- ${step.id ?? step.uses}: ${step.outcome} ${
      step.exitCode ?? ""
    }\n${step.stdout}${step.stderr}`
  ).join("\n");
}

function step(run: ActionRun, idOrUses: string) {
  const found = run.steps.find((candidate) =>
    candidate.id === idOrUses || candidate.uses?.startsWith(idOrUses)
  );
  assert.ok(found, `no step ${idOrUses}`);
  return found;
}

function readEvents(logPath: string): Promise<Array<Record<string, unknown>>> {
  return readBeaconEvents(logPath);
}

Deno.test("Action: start, a real Codex run with codex-action's edits, finish", async () => {
  await using job = await makeJob();
  const start = await job.run({ mode: "start" });
  assert.ok(start.success, describe(start));
  const { "codex-home": codexHome, "log-path": logPath, "state-path": statePath } = start.outputs;
  assert.ok(codexHome && logPath && statePath, JSON.stringify(start.outputs));
  assert.ok(codexHome.startsWith(`${job.dir}/runner-temp/beacon/`), codexHome);
  assert.equal(job.env.CODEX_HOME, codexHome);
  assert.equal(job.env.BEACON_CI_STATE, statePath);
  assert.equal(job.env.BEACON_ACTION_LOG_PATH, logPath);
  assert.match(job.env.OTEL_RESOURCE_ATTRIBUTES ?? "", /asymptote%2Fexample|asymptote\/example/);
  assert.equal(step(start, "actions/cache@").outcome, "skipped");
  assert.equal(step(start, "artifact").outcome, "skipped");
  assert.equal(step(start, "actions/upload-artifact@").outcome, "skipped");

  // What openai/codex-action does to the config: prepend its provider, append its table.
  const provider = await startMockModelProvider({ shellCommand: "echo action-test-marker" });
  try {
    const configPath = `${codexHome}/config.toml`;
    const config = await Deno.readTextFile(configPath);
    await Deno.writeTextFile(
      configPath,
      `model_provider = "codex-action-responses-proxy"\n${config}\n` +
        `[model_providers.codex-action-responses-proxy]\nname = "Codex Action proxy"\n` +
        `base_url = "${provider.baseUrl}"\nwire_api = "responses"\nenv_key = "${MOCK_API_KEY_ENV}"\n`,
    );
    const codex = await runCodexExec({
      codexHome,
      cwd: `${job.dir}/work`,
      prompt: "Run the command, then say Done.",
      args: ["-m", MOCK_MODEL],
      env: { OTEL_RESOURCE_ATTRIBUTES: job.env.OTEL_RESOURCE_ATTRIBUTES ?? "" },
    });
    assert.equal(codex.code, 0, codex.stderr);
    assert.ok(provider.toolOutputs().some((output) => output.includes("action-test-marker")));
  } finally {
    await provider.close();
  }

  const finish = await job.run({
    mode: "finish",
    "min-events": "4",
    require: "session_start,prompt,command_run,token_usage",
  });
  assert.ok(finish.success, describe(finish));
  assert.equal(finish.outputs["log-path"], logPath);
  assert.equal(finish.outputs["codex-home"], codexHome);
  assert.equal(finish.outputs["state-path"], statePath);
  const summaryPath = finish.outputs["summary-path"];
  assert.ok(summaryPath, JSON.stringify(finish.outputs));

  const events = await readEvents(logPath);
  const kinds = new Set(events.map((event) => event.kind));
  for (const kind of ["session_start", "prompt", "command_run", "token_usage"]) {
    assert.ok(kinds.has(kind), `no ${kind} in ${[...kinds]}`);
  }
  const sessions = new Set(events.map((event) => event.session_id).filter(Boolean));
  assert.equal(sessions.size, 1);
  const stepSummary = await Deno.readTextFile(job.env.GITHUB_STEP_SUMMARY);
  assert.ok(stepSummary.includes((await Deno.readTextFile(summaryPath)).trim()), stepSummary);
  // The mock reports 1,200 input tokens (200 cached) per response; Codex made two requests.
  // Sessions, prompts, commands, files, MCP, approvals, denials, failures, tokens in / out.
  assert.ok(stepSummary.includes("| 1 | 1 | 1 | 0 | 0 | 1 | 0 | 0 | 2,400 / 80 |"), stepSummary);
  assert.match(stepSummary, /\| mock-model \| 2 \| 2,400 \| 400 \| 80 \| 16 \|/);

  const artifact = step(finish, "artifact");
  assert.equal(artifact.outcome, "success");
  const upload = step(finish, "actions/upload-artifact@");
  assert.equal(upload.outcome, "not-run");
  const paths = upload.with?.path.split("\n") ?? [];
  assert.ok(paths.includes(logPath), upload.with?.path ?? "no path");
  assert.ok(paths.includes(summaryPath), upload.with?.path ?? "no path");
  assert.ok(!paths.some((path) => path.startsWith(codexHome)), "CODEX_HOME must not be uploaded");
  assert.match(upload.with?.name ?? "", /^beacon-codex-\S+$/);
  assert.equal(upload.with?.["if-no-files-found"], "warn");
});

Deno.test("Action: start for Claude Code, a real claude -p with the job's environment, finish", async () => {
  await using job = await makeJob();
  await using api = await startMockMessagesApi({
    toolCalls: [{
      name: "Bash",
      input: { command: "echo claude-action-marker", description: "x" },
    }],
  });
  const start = await job.run({ mode: "start", harness: "claude-code" });
  assert.ok(start.success, describe(start));
  const configDir = start.outputs["claude-config-dir"];
  assert.ok(configDir?.startsWith(`${job.dir}/runner-temp/beacon/`), JSON.stringify(start.outputs));
  assert.ok(!start.outputs["codex-home"], "harness: claude-code prepares only it");
  assert.equal(job.env.CLAUDE_CONFIG_DIR, configDir);
  assert.equal(job.env.CODEX_HOME, undefined);
  // The token is masked for the job's log: the runner reads ::add-mask:: from the step's stdout.
  const beaconStep = step(start, "beacon");
  assert.match(beaconStep.stdout, /^::add-mask::[A-Za-z0-9_-]{43}$/m);

  const claude = await runClaudeCode({
    home: job.env.HOME,
    cwd: `${job.dir}/work`,
    baseUrl: api.baseUrl,
    prompt: "Run the command",
    args: ["--allowedTools", "Bash"],
    env: {
      CLAUDE_CONFIG_DIR: job.env.CLAUDE_CONFIG_DIR,
      OTEL_RESOURCE_ATTRIBUTES: job.env.OTEL_RESOURCE_ATTRIBUTES ?? "",
    },
  });
  assert.equal(claude.code, 0, claude.stderr);

  const finish = await job.run({ mode: "finish", require: "prompt,command_run,token_usage" });
  assert.ok(finish.success, describe(finish));
  assert.equal(finish.outputs["claude-config-dir"], configDir);
  const stepSummary = await Deno.readTextFile(job.env.GITHUB_STEP_SUMMARY);
  assert.match(stepSummary, /^\| Claude Code \| 1 \| 1 \| 1 \| /m);
  const paths = step(finish, "actions/upload-artifact@").with?.path.split("\n") ?? [];
  assert.ok(paths.length > 0);
  assert.ok(!paths.some((path) => path.startsWith(configDir)), "Claude's config is not uploaded");
  await assert.rejects(Deno.stat(`${job.env.HOME}/.claude`), Deno.errors.NotFound);
});

Deno.test("Action: exec around a Codex turn, a failing command and a failed gate", async () => {
  await using job = await makeJob();
  const exec = await job.run({
    mode: "exec",
    command: `"$DENO" run --allow-all --quiet '${ROOT}/tools/codex_mock_turn.ts'`,
    require: "session_start,command_run,token_usage",
    "artifact-name": "beacon-exec",
  });
  assert.ok(exec.success, describe(exec));
  const logPath = exec.outputs["log-path"];
  assert.ok(logPath && exec.outputs["summary-path"], JSON.stringify(exec.outputs));
  assert.ok((await readEvents(logPath)).some((event) => event.kind === "token_usage"));
  const upload = step(exec, "actions/upload-artifact@");
  assert.equal(upload.outcome, "not-run");
  assert.equal(upload.with?.name, "beacon-exec");
  assert.ok(upload.with?.path.split("\n").includes(logPath));

  // The command's exit code is the step's; the log is still uploaded (if: always()).
  const failing = await job.run({ mode: "exec", command: "echo about to fail; exit 42" });
  assert.equal(failing.success, false);
  assert.equal(step(failing, "beacon").exitCode, 42, describe(failing));
  assert.match(step(failing, "beacon").stdout, /about to fail/);
  assert.equal(step(failing, "artifact").outcome, "success");
  assert.equal(step(failing, "actions/upload-artifact@").outcome, "not-run");

  // A gate that fails: exit 3, the expectation named, the log still uploaded.
  const gate = await job.run({ mode: "exec", command: "true", require: "mcp_tool_call" });
  assert.equal(gate.success, false);
  assert.equal(step(gate, "beacon").exitCode, 3, describe(gate));
  assert.match(step(gate, "beacon").stdout + step(gate, "beacon").stderr, /mcp_tool_call/);
  assert.equal(step(gate, "actions/upload-artifact@").outcome, "not-run");

  // Warn only: the same gate with require-telemetry false passes.
  const warned = await job.run({
    mode: "exec",
    command: "true",
    require: "mcp_tool_call",
    "require-telemetry": "false",
    "upload-artifact": "false",
  });
  assert.ok(warned.success, describe(warned));
  assert.equal(step(warned, "artifact").outcome, "skipped");
  assert.equal(step(warned, "actions/upload-artifact@").outcome, "skipped");
});

Deno.test("Action: inputs are never run as shell code", async () => {
  await using job = await makeJob();
  const marker = `${job.dir}/injected`;
  const payloads = [`$(touch ${marker}-1)`, `\`touch ${marker}-2\``, `x"; touch ${marker}-3; "`];
  for (const payload of payloads) {
    for (const mode of ["start", "finish"]) {
      const run = await job.run({
        mode,
        policy: payload,
        "min-events": payload,
        require: payload,
        "require-telemetry": payload,
        "inherit-codex-config": payload,
        "artifact-name": payload,
      });
      assert.equal(run.success, false);
    }
    const badMode = await job.run({ mode: payload });
    assert.equal(badMode.success, false);
    assert.match(step(badMode, "beacon").stdout, /mode must be start, finish or exec/);
    const badVersion = await job.run({ mode: "start", "binary-path": "", version: payload });
    assert.equal(badVersion.success, false);
  }
  for (let index = 1; index <= 3; index++) {
    await assert.rejects(Deno.stat(`${marker}-${index}`), `payload ${index} ran`);
  }
});
