/**
 * Claude Code end to end with the real CLI (`@anthropic-ai/claude-code@2.1.328`) driven offline
 * by the mock Messages API:
 * - through Beacon's collector in this process, a whole session's events are in the runtime log
 *   the moment `claude -p` exits (it flushes at exit and waits at most about 2 s), each kind as
 *   often as the session did it;
 * - `endpoint install --harness claude-code` -> `claude -p` -> the runtime log under the default
 *   policy and a policy that keeps prompts (secrets scrubbed) and answers, with no prompt, answer
 *   or planted secret where the policy drops or redacts it; `enabled = false` and `endpoint uninstall` give settings.json
 *   back byte for byte;
 * - Codex and Claude Code at the same time through one collector, each labelled right.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as v from "valibot";
import { startMockMessagesApi } from "../support/mock_messages_api.ts";
import { runClaudeCode } from "../support/claude_code_cli.ts";
import { startInProcessCollector } from "../support/in_process_collector.ts";
import { spawnCollectorChild } from "../support/spawn_collector_child.ts";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";
import { waitUntil } from "../support/wait_until.ts";
import { isRunning } from "../support/ci_run.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";
import { mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { PolicySchema } from "../../lib/policy/policy_schema.ts";
import { claudeCodeAdapter } from "../../lib/harness/claude_code/claude_code_adapter.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;
/** Planted in the prompt and in the command: must never reach the log where the policy redacts. */
const PLANTED_SECRET = "ghp_PlantedSecret0123456789abcdefABCDEF01";
const PROMPT = `Please run the tests PROMPT-MARKER-1234 with GITHUB_TOKEN=${PLANTED_SECRET}`;
const ANSWER = "Final answer AGENT-RESPONSE-MARKER-9012";
const TOOL_CALLS = [
  {
    name: "Bash",
    input: {
      command: `GITHUB_TOKEN=${PLANTED_SECRET} echo TOOL-OUTPUT-MARKER-5678`,
      description: "Run the tests",
    },
  },
  { name: "Write", input: { file_path: "notes/result.txt", content: "TOOL-OUTPUT-MARKER-5678" } },
];

function countKinds(events: Record<string, unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) counts[String(event.kind)] = (counts[String(event.kind)] ?? 0) + 1;
  return counts;
}

async function claudeHome(): Promise<{ home: string; cwd: string } & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "beacon-claude-home-" });
  const cwd = join(home, "project");
  await Deno.mkdir(join(home, ".claude"), { recursive: true });
  await Deno.mkdir(join(cwd, "notes"), { recursive: true });
  return {
    home,
    cwd,
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }).catch(() => {}),
  };
}

Deno.test("a whole Claude Code session's events are in the runtime log when claude exits", async () => {
  await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS, finalAnswer: ANSWER });
  await using collector = await startInProcessCollector();
  await using place = await claudeHome();
  const policy = v.parse(PolicySchema, {
    collector: { listen: new URL(collector.url).host },
  });
  // The variables Beacon would write into settings.json, given to the process directly.
  const run = await runClaudeCode({
    ...place,
    baseUrl: api.baseUrl,
    prompt: PROMPT,
    args: ["--allowedTools", "Bash,Write"],
    env: claudeCodeAdapter.serviceEnvironment(policy),
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), ANSWER);
  // No waiting: Claude Code flushed before it exited.
  const events = await collector.events();
  assert.deepEqual(countKinds(events), {
    prompt: 1,
    approval: 2,
    command_run: 1,
    file_change: 1,
    agent_response: 3,
    token_usage: 3,
  });
  assert.ok(events.every((event) => event.harness === "claude-code"));
  assert.equal(new Set(events.map((event) => event.session_id)).size, 1);
  const change = events.find((event) => event.kind === "file_change");
  assert.match(String(change?.paths), /\/project\/notes\/result\.txt$/);
  const usage = events.filter((event) => event.kind === "token_usage");
  assert.ok(usage.every((event) => event.input_tokens === 1501 && Number(event.cost_usd) > 0));
  const text = await Deno.readTextFile(collector.logPath);
  for (const hidden of ["PROMPT-MARKER-1234", "AGENT-RESPONSE-MARKER-9012", PLANTED_SECRET]) {
    assert.ok(!text.includes(hidden), `${hidden} is not in the runtime log`);
  }
  assert.match(text, /TOOL-OUTPUT-MARKER-5678/, "the command line is kept, redacted");
  assert.deepEqual(collector.errors, []);
});

Deno.test("a model error Claude Code gives up on is an api_error in the runtime log", async () => {
  await using api = await startMockMessagesApi({
    failWith: { status: 400, message: "Mock injected error 400" },
  });
  await using collector = await startInProcessCollector();
  await using place = await claudeHome();
  const policy = v.parse(PolicySchema, { collector: { listen: new URL(collector.url).host } });
  const run = await runClaudeCode({
    ...place,
    baseUrl: api.baseUrl,
    prompt: "Please run the tests",
    env: claudeCodeAdapter.serviceEnvironment(policy),
  });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /API Error: 400/);
  const events = await collector.events();
  assert.deepEqual(countKinds(events), { prompt: 1, api_error: 1 });
  const error = events.find((event) => event.kind === "api_error");
  assert.equal(error?.status_code, 400);
  assert.equal(error?.error, "Mock injected error 400");
});

Deno.test("over OTLP/gRPC too, when the policy's transport says so", async () => {
  await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS.slice(0, 1) });
  // In a child process: its gRPC listener may abort the process it runs in (denoland/deno#36788).
  await using collector = await spawnCollectorChild();
  await using place = await claudeHome();
  const policy = v.parse(PolicySchema, {
    collector: { grpc: true, grpc_listen: `127.0.0.1:${collector.grpcPort}` },
    harnesses: { "claude-code": { transport: "grpc" } },
  });
  const run = await runClaudeCode({
    ...place,
    baseUrl: api.baseUrl,
    prompt: "Please run the tests",
    args: ["--allowedTools", "Bash"],
    env: claudeCodeAdapter.serviceEnvironment(policy),
  });
  assert.equal(run.code, 0, run.stderr);
  const events = await collector.events();
  assert.deepEqual(countKinds(events), {
    prompt: 1,
    approval: 1,
    command_run: 1,
    agent_response: 2,
    token_usage: 2,
  });
});

Deno.test("Codex and Claude Code at the same time through one collector, each labelled", async () => {
  await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS.slice(0, 1) });
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "done" });
  await using collector = await startInProcessCollector();
  await using place = await claudeHome();
  try {
    const policy = v.parse(PolicySchema, { collector: { listen: new URL(collector.url).host } });
    const codexHome = join(place.home, ".codex");
    await Deno.mkdir(codexHome);
    await Deno.writeTextFile(
      join(codexHome, "config.toml"),
      `${mockProviderToml(provider.baseUrl)}\n[otel]\nexporter = { otlp-http = { endpoint = ` +
        `"${collector.url}/v1/logs", protocol = "binary" } }\nmetrics_exporter = "none"\n`,
    );
    const [claude, codex] = await Promise.all([
      runClaudeCode({
        ...place,
        baseUrl: api.baseUrl,
        prompt: "Please run the tests",
        args: ["--allowedTools", "Bash"],
        env: claudeCodeAdapter.serviceEnvironment(policy),
      }),
      runCodexExec({ codexHome, cwd: place.cwd, prompt: "run it", env: { HOME: place.home } }),
    ]);
    assert.equal(claude.code, 0, claude.stderr);
    assert.equal(codex.code, 0, codex.stderr);
    const events = await collector.events();
    const byHarness = Map.groupBy(events, (event) => event.harness as string);
    assert.deepEqual([...byHarness.keys()].sort(), ["claude-code", "codex"]);
    for (const [harness, list] of byHarness) {
      assert.ok(list.some((event) => event.kind === "command_run"), `${harness} ran a command`);
      assert.equal(new Set(list.map((event) => event.session_id)).size, 1, harness);
      const sources = new Set(list.map((event) => String(event.source_event).split(".")[0]));
      assert.deepEqual([...sources], [harness === "codex" ? "codex" : "claude_code"]);
    }
  } finally {
    await provider.close();
  }
});

for (
  const [name, content] of [
    ["the default policy", ""],
    ["a policy that keeps prompts", '[content]\nprompt = "redact"\nagent_response = "keep"\n'],
  ]
) {
  Deno.test(`endpoint install --harness claude-code, claude -p, uninstall (${name})`, async () => {
    await using tmp = await makeTempHome();
    await using api = await startMockMessagesApi({ toolCalls: TOOL_CALLS, finalAnswer: ANSWER });
    using collectorPort = reservePort();
    const port = collectorPort.port;
    const policyPath = join(tmp.home, "team-policy.toml");
    const policyText = `version = 1\n${content}[collector]\nlisten = "127.0.0.1:${port}"\n`;
    await Deno.writeTextFile(policyPath, policyText);
    const env = {
      ...tmp.env,
      PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      BEACON_SERVICE_MANAGER: "detached",
      BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
    };
    const beacon = (...args: string[]) => runBeacon([...args, "--policy", policyPath], { env });
    const settingsPath = join(tmp.home, ".claude", "settings.json");
    const original = await Deno.readTextFile(
      new URL("../../fixtures/claude-code-settings/mcp-servers-crlf-tabs.json", import.meta.url),
    );
    await Deno.mkdir(join(tmp.home, ".claude"));
    await Deno.writeTextFile(settingsPath, original);
    const cwd = join(tmp.home, "project");
    await Deno.mkdir(join(cwd, "notes"), { recursive: true });
    try {
      const install = await beacon("endpoint", "install", "--harness", "claude-code");
      assert.equal(install.code, 0, install.stdout + install.stderr);
      const again = await beacon("endpoint", "install", "--harness", "claude-code", "--plan");
      assert.equal(again.code, 0, `a second install changes nothing:\n${again.stdout}`);

      const run = await runClaudeCode({
        home: tmp.home,
        cwd,
        baseUrl: api.baseUrl,
        prompt: PROMPT,
        args: ["--allowedTools", "Bash,Write"],
      });
      assert.equal(run.code, 0, run.stderr);
      const logPath = join(tmp.home, ".beacon", "endpoint", "logs", "runtime.jsonl");
      const events = (await readBeaconEvents(logPath)).filter((event) =>
        event.harness === "claude-code"
      );
      assert.deepEqual(countKinds(events), {
        prompt: 1,
        approval: 2,
        command_run: 1,
        file_change: 1,
        agent_response: 3,
        token_usage: 3,
      });
      const text = await Deno.readTextFile(logPath);
      assert.ok(!text.includes(PLANTED_SECRET), "the planted secret never reaches the log");
      const prompt = events.find((event) => event.kind === "prompt");
      if (content === "") {
        assert.ok(!text.includes("PROMPT-MARKER-1234"));
        assert.ok(!text.includes("AGENT-RESPONSE-MARKER-9012"));
        assert.equal(prompt.source_redacted, true, "Claude Code was never asked for the prompt");
      } else {
        // Kept, with the planted token scrubbed out of it.
        assert.equal(prompt.prompt.mode, "redact");
        assert.match(prompt.prompt.text, /PROMPT-MARKER-1234 with GITHUB_TOKEN=\[REDACTED:/);
        assert.match(text, /AGENT-RESPONSE-MARKER-9012/);
      }

      if (content === "") {
        const status = await beacon("endpoint", "status");
        assert.equal(status.code, 0, status.stdout + status.stderr);
        assert.match(
          status.stdout,
          /Claude Code: configured as the policy wants \(.*settings\.json\); last event: \d{4}-/,
        );
        // endpoint doctor: every check passes; break two things, --fix mends them.
        const doctor = await beacon("endpoint", "doctor");
        assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
        assert.match(doctor.stdout, /^ok {3}claude-code: events arriving: last event /m);
        assert.match(doctor.stdout, /^ok {3}claude-code: points at Beacon: /m);
        const pid = Number(
          await Deno.readTextFile(join(tmp.home, ".beacon", "endpoint", "collector.pid")),
        );
        Deno.kill(pid, "SIGKILL");
        await Deno.writeTextFile(
          settingsPath,
          (await Deno.readTextFile(settingsPath)).replace(
            '"OTEL_LOGS_EXPORTER": "otlp"',
            '"OTEL_LOGS_EXPORTER": "none"',
          ),
        );
        // Until the killed process is gone, its socket may still accept connections.
        await waitUntil("the killed collector to exit", async () => !await isRunning(pid));
        const down = await beacon("endpoint", "doctor");
        assert.equal(down.code, 3, down.stdout);
        assert.match(down.stdout, /^FAIL collector answers: .*\n {7}--fix: start the collector/m);
        assert.match(down.stdout, /^FAIL claude-code: configured as the policy wants: 1 value/m);
        const fixed = await beacon("endpoint", "doctor", "--fix");
        assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
        assert.match(fixed.stdout, /^Fixing: /m);
      }

      const uninstall = await beacon("endpoint", "uninstall");
      assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
      assert.equal(await Deno.readTextFile(settingsPath), original, "byte for byte");
    } finally {
      await runBeacon(["endpoint", "uninstall"], { env }).catch(() => {});
    }
  });
}

Deno.test("enabled = false gives settings.json back byte for byte", async () => {
  await using tmp = await makeTempHome();
  const settingsPath = join(tmp.home, ".claude", "settings.json");
  const original = await Deno.readTextFile(
    new URL("../../fixtures/claude-code-settings/env-and-comments.json", import.meta.url),
  );
  await Deno.mkdir(join(tmp.home, ".claude"));
  await Deno.writeTextFile(settingsPath, original);
  const policyPath = join(tmp.home, "policy.toml");
  const apply = async (enabled: boolean) => {
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[harnesses.codex]\nenabled = false\n[harnesses.claude-code]\nenabled = ${enabled}\n`,
    );
    return await runBeacon(["apply", "--policy", policyPath], { env: tmp.env });
  };
  const on = await apply(true);
  assert.equal(on.code, 0, on.stdout + on.stderr);
  const written = await Deno.readTextFile(settingsPath);
  assert.match(written, /"OTEL_EXPORTER_OTLP_ENDPOINT": "http:\/\/127\.0\.0\.1:4318"/);
  assert.match(written, /"statusLine"/);
  const off = await apply(false);
  assert.equal(off.code, 0, off.stdout + off.stderr);
  assert.equal(await Deno.readTextFile(settingsPath), original);

  // Edited by the user in between: only Beacon's keys go, the user's edit stays.
  assert.equal((await apply(true)).code, 0);
  const edited = (await Deno.readTextFile(settingsPath)).replace('"padding": 0', '"padding": 2');
  await Deno.writeTextFile(settingsPath, edited);
  assert.equal((await apply(false)).code, 0);
  assert.equal(
    await Deno.readTextFile(settingsPath),
    original.replace('"padding": 0', '"padding": 2'),
  );
});

Deno.test("system mode: the managed settings file, readable by every user's Claude Code", async () => {
  await using tmp = await makeTempHome();
  const root = join(tmp.home, "root");
  const policyPath = join(tmp.home, "policy.toml");
  await Deno.writeTextFile(
    policyPath,
    'version = 1\n[endpoint]\nmode = "system"\n[harnesses.codex]\nenabled = false\n',
  );
  const env = { ...tmp.env, BEACON_SYSTEM_ROOT: root };
  const apply = await runBeacon(["apply", "--policy", policyPath], { env });
  assert.equal(apply.code, 0, apply.stdout + apply.stderr);
  const managed = join(root, "etc", "claude-code", "managed-settings.json");
  assert.match(apply.stdout, new RegExp(`# claude-code: ${managed}`));
  assert.equal((await Deno.stat(managed)).mode! & 0o777, 0o644);
  assert.equal((await Deno.stat(join(root, "etc", "claude-code"))).mode! & 0o777, 0o755);
  const settings = JSON.parse(await Deno.readTextFile(managed));
  assert.equal(settings.env.OTEL_EXPORTER_OTLP_ENDPOINT, "http://127.0.0.1:4318");
  // The user's own settings are not Beacon's in system mode.
  await assert.rejects(Deno.stat(join(tmp.home, ".claude", "settings.json")));
});
