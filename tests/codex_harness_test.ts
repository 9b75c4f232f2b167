/**
 * The test harness itself, proven against the real Codex CLI 0.169.0: Codex runs a scripted
 * turn against the mock model provider, exports OTLP logs, validates configs strictly and
 * consults the automated reviewer. No part of Codex is mocked.
 */
import assert from "node:assert/strict";
import {
  checkCodexAcceptsConfig,
  createCodexWorkspace,
  mockProviderToml,
  runCodexExec,
} from "./support/codex_cli.ts";
import { startMockModelProvider } from "./support/mock_model_provider.ts";
import { startCaptureServer } from "./support/otlp_capture_server.ts";

const PROMPT = "PROMPT-MARKER-1234 run the command";
const TOOL_MARKER = "TOOL-OUTPUT-MARKER-5678";
const ANSWER = "AGENT-RESPONSE-MARKER-9012";

function describeRun(result: { code: number; stdout: string; stderr: string }): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

Deno.test("codex exec runs the mock's shell command and finishes with its answer", async () => {
  const provider = await startMockModelProvider({
    shellCommand: `echo ${TOOL_MARKER}`,
    finalAnswer: ANSWER,
  });
  try {
    await using workspace = await createCodexWorkspace();
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));

    const result = await runCodexExec({ ...workspace, prompt: PROMPT });

    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, new RegExp(ANSWER));
    const agentRequests = provider.requests.filter((request) => request.kind === "agent");
    assert.equal(agentRequests.length, 2, "one request for the tool call, one after its output");
    assert.match(JSON.stringify(agentRequests[0].body), new RegExp(PROMPT));
    const outputs = provider.toolOutputs();
    assert.equal(outputs.length, 1);
    assert.match(outputs[0], new RegExp(`Process exited with code 0[\\s\\S]*${TOOL_MARKER}`));
  } finally {
    await provider.close();
  }
});

Deno.test("codex exec applies the mock's patch in a workspace-write sandbox", async () => {
  const provider = await startMockModelProvider({
    applyPatch: "*** Begin Patch\n*** Add File: hello.txt\n+HELLO-PATCH\n*** End Patch",
  });
  try {
    await using workspace = await createCodexWorkspace();
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));

    const result = await runCodexExec({
      ...workspace,
      prompt: PROMPT,
      args: ["-s", "workspace-write"],
    });

    assert.equal(result.code, 0, describeRun(result));
    assert.equal(await Deno.readTextFile(`${workspace.cwd}/hello.txt`), "HELLO-PATCH\n");
  } finally {
    await provider.close();
  }
});

Deno.test("codex exports OTLP/HTTP protobuf logs before it exits", async () => {
  const provider = await startMockModelProvider({
    shellCommand: `echo ${TOOL_MARKER}`,
    finalAnswer: ANSWER,
  });
  const collector = await startCaptureServer();
  try {
    await using workspace = await createCodexWorkspace();
    const endpoint = `http://127.0.0.1:${collector.port}/v1/logs`;
    await workspace.writeConfig(
      mockProviderToml(provider.baseUrl) + [
        `[otel]`,
        `exporter = { otlp-http = { endpoint = "${endpoint}", protocol = "binary" } }`,
        `trace_exporter = "none"`,
        `metrics_exporter = "none"`,
        ``,
      ].join("\n"),
    );

    const result = await runCodexExec({ ...workspace, prompt: PROMPT });

    assert.equal(result.code, 0, describeRun(result));
    const logs = collector.captured.filter((entry) => entry.path === "/v1/logs");
    assert.ok(logs.length >= 1, `no logs export; captured ${JSON.stringify(collector.captured)}`);
    for (const entry of logs) {
      assert.equal(entry.method, "POST");
      assert.equal(entry.contentType, "application/x-protobuf");
      assert.ok(entry.bytes > 0);
    }
    assert.deepEqual(
      collector.captured.filter((entry) => entry.path !== "/v1/logs"),
      [],
      "traces and metrics are off",
    );
  } finally {
    await collector.close();
    await provider.close();
  }
});

Deno.test("checkCodexAcceptsConfig accepts a valid config and quotes Codex's rejection", async () => {
  const provider = await startMockModelProvider();
  try {
    await using workspace = await createCodexWorkspace();
    await workspace.writeConfig(
      mockProviderToml(provider.baseUrl) +
        `[otel]\nenvironment = "dev"\nexporter = "none"\ntrace_exporter = "none"\n` +
        `metrics_exporter = "none"\n`,
    );
    assert.deepEqual(await checkCodexAcceptsConfig(workspace.codexHome, provider.baseUrl), {
      accepted: true,
      message: "",
    });

    // No provider section at all: the check supplies the mock itself.
    await workspace.writeConfig(`[otel]\nbogus_key = 1\n`);
    const rejected = await checkCodexAcceptsConfig(workspace.codexHome, provider.baseUrl);
    assert.equal(rejected.accepted, false);
    assert.match(
      rejected.message,
      /config\.toml:2:1: unknown configuration field `otel\.bogus_key`/,
    );
  } finally {
    await provider.close();
  }
});

Deno.test("codex exec --approve-for-me: a denied command is not run and the turn completes", async () => {
  const provider = await startMockModelProvider({
    shellCommand: `echo ${TOOL_MARKER} > approved.txt`,
    escalationJustification: "APPROVAL-JUSTIFICATION-MARKER: may I write outside the sandbox?",
    reviewer: { outcome: "deny", rationale: "GUARDIAN-RATIONALE-MARKER: mock reviewer says deny." },
    finalAnswer: ANSWER,
  });
  try {
    await using workspace = await createCodexWorkspace();
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));

    const result = await runCodexExec({
      ...workspace,
      prompt: PROMPT,
      args: ["--approve-for-me"],
    });

    assert.equal(result.code, 0, describeRun(result));
    assert.match(result.stdout, new RegExp(ANSWER));
    assert.deepEqual(provider.requests.map((request) => request.kind), [
      "agent",
      "reviewer",
      "agent",
    ]);
    const [output] = provider.toolOutputs();
    assert.match(output, /rejected due to unacceptable risk/);
    assert.match(output, /GUARDIAN-RATIONALE-MARKER/);
    await assert.rejects(Deno.stat(`${workspace.cwd}/approved.txt`), Deno.errors.NotFound);
  } finally {
    await provider.close();
  }
});

Deno.test("codex exec --approve-for-me: an allowed command runs", async () => {
  const provider = await startMockModelProvider({
    shellCommand: `echo ${TOOL_MARKER} > approved.txt`,
    escalationJustification: "APPROVAL-JUSTIFICATION-MARKER: may I write outside the sandbox?",
    reviewer: { outcome: "allow" },
    finalAnswer: ANSWER,
  });
  try {
    await using workspace = await createCodexWorkspace();
    await workspace.writeConfig(mockProviderToml(provider.baseUrl));

    const result = await runCodexExec({
      ...workspace,
      prompt: PROMPT,
      args: ["--approve-for-me"],
    });

    assert.equal(result.code, 0, describeRun(result));
    assert.equal(provider.requests.filter((request) => request.kind === "reviewer").length, 1);
    assert.equal(await Deno.readTextFile(`${workspace.cwd}/approved.txt`), `${TOOL_MARKER}\n`);
  } finally {
    await provider.close();
  }
});
