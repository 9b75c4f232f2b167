/**
 * End to end with nothing mocked but the model: `beacon apply` writes Codex's config, the real
 * Codex CLI 0.169.0 runs a turn against the mock model provider (a shell command, a patch, an
 * answer), and `beacon collector run` (the shipped single file) writes what Codex sent to the
 * runtime log, with the policy's content rules applied.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createCodexWorkspace, mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { runBeacon } from "../support/beacon_bundle.ts";
import { parseBeaconEvents, readBeaconEvents } from "../support/beacon_event_schema.ts";
import { reservePort } from "../support/reserve_port.ts";

const PROMPT_MARKER = "PROMPT-MARKER-7731";
const OUTPUT_MARKER = "TOOL-OUTPUT-MARKER-4411";
const ANSWER_MARKER = "AGENT-RESPONSE-MARKER-9902";
// The command prints the marker without containing it, so only tool output can carry it.
const COMMAND = `printf 'TOOL-OUTPUT-%s-4411\\n' MARKER`;
const PATCH = [
  "*** Begin Patch",
  "*** Add File: notes/hello.txt",
  "+hello from the mock model",
  "*** End Patch",
].join("\n");

async function runTurn(policyExtra: string, collectorExtra = "") {
  const provider = await startMockModelProvider({
    shellCommand: COMMAND,
    applyPatch: PATCH,
    finalAnswer: `${ANSWER_MARKER} all done`,
  });
  const workspace = await createCodexWorkspace();
  using httpPort = reservePort();
  using grpcPort = reservePort();
  try {
    const logPath = join(workspace.root, "runtime.jsonl");
    const policyPath = join(workspace.root, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n${policyExtra}\n[collector]\nlisten = "127.0.0.1:${httpPort.port}"\n` +
        `grpc_listen = "127.0.0.1:${grpcPort.port}"\n${collectorExtra}[runtime_log]\npath = "${logPath}"\n`,
    );
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));
    const env = { HOME: workspace.root, CODEX_HOME: workspace.codexHome };
    const apply = await runBeacon(["apply", "--policy", policyPath], { env });
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);

    await using collector = await startCollectorProcess({ policyPath, home: workspace.root });
    const run = await runCodexExec({ ...workspace, prompt: `${PROMPT_MARKER} please run it` });
    assert.equal(run.code, 0, `codex: ${run.stderr}`);
    assert.equal((await collector.stop("SIGTERM")).code, 0, collector.output());

    const text = await Deno.readTextFile(logPath);
    const events = parseBeaconEvents(text, logPath);
    return { text, events, provider };
  } finally {
    await provider.close();
    await workspace.remove();
  }
}

Deno.test("codex exec -> collector: session, prompt, command, file change, approval, tokens; no content", async () => {
  const { text, events, provider } = await runTurn("");
  const kinds = events.map((event) => event.kind);
  for (
    const kind of [
      "session_start",
      "prompt",
      "command_run",
      "file_change",
      "approval",
      "token_usage",
    ]
  ) {
    assert.ok(kinds.includes(kind), `${kind} in ${JSON.stringify(kinds)}`);
  }
  const sessions = new Set(events.map((event) => event.session_id));
  assert.equal(sessions.size, 1, "one session");
  assert.ok([...sessions][0], "with an id");

  const command = events.find((event) => event.kind === "command_run");
  assert.match(JSON.stringify(command.command ?? command.arguments), /printf/);
  assert.equal(command.success, true);
  assert.equal(command.output.mode, "drop");
  assert.equal(command.output.text, undefined);

  const change = events.find((event) => event.kind === "file_change");
  assert.deepEqual(change.paths, ["notes/hello.txt"]);

  const usage = events.filter((event) => event.kind === "token_usage");
  assert.equal(
    usage.length,
    provider.requests.filter((request) => request.kind === "agent").length,
  );
  for (const event of usage) assert.equal(typeof event.input_tokens, "number");

  assert.equal(events.find((event) => event.kind === "prompt").prompt.mode, "drop");
  assert.ok(!text.includes(PROMPT_MARKER), "the prompt text is never written");
  assert.ok(!text.includes(OUTPUT_MARKER), "tool output is never written");
  assert.ok(!text.includes(ANSWER_MARKER), "the agent's answer is never written");
  assert.ok(!kinds.includes("span"), "no spans by default");
});

Deno.test("codex exec -> collector with content kept and spans included", async () => {
  const { text, events } = await runTurn(
    `[harnesses.codex]\ninclude_spans = true\n[content]\nprompt = "keep"\ntool_output = "keep"\n` +
      `agent_response = "keep"\n`,
  );
  assert.ok(events.some((event) => event.kind === "span"), "spans are kept");
  assert.ok(text.includes(PROMPT_MARKER), "the prompt is kept");
  assert.ok(text.includes(OUTPUT_MARKER), "tool output is kept");
  assert.ok(
    events.some((event) => event.kind === "agent_response"),
    `the answer is kept: ${JSON.stringify(events.map((e) => e.kind + ":" + e.source_event))}`,
  );
});

Deno.test("codex exec --approve-for-me: the reviewer's denial is an approval event and a review", async () => {
  const provider = await startMockModelProvider({
    shellCommand: "touch /tmp/should-not-exist-beacon",
    escalationJustification: "needs to write outside the workspace",
    reviewer: { outcome: "deny", rationale: "REVIEW-RATIONALE-MARKER risky" },
    finalAnswer: "ok",
  });
  const workspace = await createCodexWorkspace();
  using collectorPort = reservePort();
  try {
    const logPath = join(workspace.root, "runtime.jsonl");
    const policyPath = join(workspace.root, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[content]\nagent_response = "redact"\n[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n` +
        `[runtime_log]\npath = "${logPath}"\n`,
    );
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));
    const env = { HOME: workspace.root, CODEX_HOME: workspace.codexHome };
    assert.equal((await runBeacon(["apply", "--policy", policyPath], { env })).code, 0);
    await using collector = await startCollectorProcess({ policyPath, home: workspace.root });
    const run = await runCodexExec({ ...workspace, prompt: "try it", args: ["--approve-for-me"] });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await collector.stop("SIGTERM")).code, 0);
    const events = await readBeaconEvents(logPath);
    const approval = events.find((event) => event.kind === "approval");
    assert.ok(approval, JSON.stringify(events.map((event) => event.kind)));
    assert.equal(approval.approved, false);
    assert.match(approval.decision, /denied|abort/);
    assert.match(approval.decided_by, /automated_reviewer|automatedreviewer/i);
    const review = events.find((event) => event.kind === "automated_review");
    assert.ok(review, "the guardian assessment is recorded");
    assert.match(JSON.stringify(review), /REVIEW-RATIONALE-MARKER/);
  } finally {
    await provider.close();
    await workspace.remove();
  }
});

Deno.test("codex exec -> collector over native OTLP/gRPC", async () => {
  const { events } = await runTurn(`[harnesses.codex]\ntransport = "grpc"\n`, "grpc = true\n");
  const kinds = events.map((event) => event.kind);
  for (const kind of ["session_start", "prompt", "command_run", "token_usage"]) {
    assert.ok(kinds.includes(kind), `${kind} in ${JSON.stringify(kinds)}`);
  }
});
