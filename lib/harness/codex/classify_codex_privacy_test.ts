/**
 * Content the policy drops never reaches an event: checked on the real Codex captures (whose
 * content is known), on planted secrets, and as a property over arbitrary records.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { hashContent } from "../../content/hash_content.ts";
import type { BeaconEvent } from "../../events/beacon_event.ts";
import type { FlatValue } from "../../otlp/flatten_any_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import type { Policy } from "../../policy/policy_schema.ts";
import { classifyCodexLogRecord } from "./classify_codex_log_record.ts";
import {
  allStrings,
  assertValidBeaconEvent,
  classifyCodexRun,
  codexLogRecord,
  codexLogRuns,
  codexRunLogRecords,
  policyOf,
  policyWithEveryRule,
} from "./classify_test_fixtures.ts";

const DEFAULT_POLICY = policyOf();
const KEEP_POLICY = policyWithEveryRule("keep");
const runs = await codexLogRuns();

/** The content Codex sent in a run, by kind, read from the raw records. */
async function sentContent(run: string) {
  const content = {
    prompt: [] as string[],
    output: [] as string[],
    response: [] as string[],
    identity: [] as string[],
  };
  for (const record of await codexRunLogRecords(run)) {
    const text = (name: string) => {
      const value = record.attributes[name];
      return typeof value === "string" && value.length >= 8 ? value : undefined;
    };
    const prompt = text("prompt");
    if (prompt !== undefined && prompt !== "[REDACTED]") content.prompt.push(prompt);
    const output = text("output");
    if (output !== undefined) content.output.push(output);
    for (const name of ["response", "rationale"]) {
      const value = text(name);
      if (value !== undefined) content.response.push(value);
    }
    for (const name of ["user.email", "user.account_id"]) {
      const value = text(name);
      if (value !== undefined) content.identity.push(value);
    }
  }
  return content;
}

/** Whether any string anywhere in the events contains `needle`. */
function appears(events: BeaconEvent[], needle: string): boolean {
  return events.some((event) => allStrings(event).some((text) => text.includes(needle)));
}

const MARKERS = {
  prompt: "PROMPT-MARKER-1234",
  response: "AGENT-RESPONSE-MARKER-9012",
  rationale: "GUARDIAN-RATIONALE-MARKER",
  output: "pyenv: cannot rehash",
  email: "synthetic-user@example.invalid",
  accountId: "SYNTH-ACCOUNT-ID-777",
};

Deno.test("the captures hold the content these privacy tests look for", async () => {
  const all = await Promise.all(runs.map(sentContent));
  assert.ok(all.some((c) => c.prompt.some((p) => p.includes(MARKERS.prompt))), "a prompt");
  assert.ok(all.some((c) => c.output.some((o) => o.includes(MARKERS.output))), "an output");
  assert.ok(all.some((c) => c.response.some((r) => r.includes(MARKERS.response))), "a response");
  assert.ok(all.some((c) => c.response.some((r) => r.includes(MARKERS.rationale))), "a rationale");
  assert.ok(all.some((c) => c.identity.includes(MARKERS.email)), "an email");
});

Deno.test("default policy: no prompt, tool output, agent response or raw identity in any event", async () => {
  for (const run of runs) {
    const events = await classifyCodexRun(run, DEFAULT_POLICY);
    const sent = await sentContent(run);
    for (const [kind, values] of Object.entries(sent)) {
      for (const value of values) assert.ok(!appears(events, value), `${run}: ${kind} leaked`);
    }
    for (const [name, marker] of Object.entries(MARKERS)) {
      assert.ok(!appears(events, marker), `${run}: ${name} marker leaked`);
    }
    // The lengths are kept.
    for (const event of events) {
      if (event.kind === "prompt") assert.equal(event.prompt.mode, "drop");
      if (event.kind === "command_run") assert.ok((event.output?.bytes ?? 0) > 0);
    }
  }
});

Deno.test("default policy: Codex's [REDACTED] prompt placeholder is noted, not hashed or counted", async () => {
  const events = await classifyCodexRun("02-http-binary-logs", policyWithEveryRule("hash"));
  const prompt = events.find((event) => event.kind === "prompt");
  assert.ok(prompt?.kind === "prompt");
  assert.deepEqual(prompt.prompt, { mode: "hash", bytes: 0 });
  assert.equal(prompt.source_redacted, true);
  assert.equal(prompt.prompt_length, 76);
});

Deno.test("keep everywhere: the same content does appear", async () => {
  const all = (await Promise.all(runs.map((run) => classifyCodexRun(run, KEEP_POLICY)))).flat();
  for (const marker of Object.values(MARKERS)) assert.ok(appears(all, marker), marker);
  for (const run of runs) {
    const events = await classifyCodexRun(run, KEEP_POLICY);
    const sent = await sentContent(run);
    for (const value of Object.values(sent).flat()) assert.ok(appears(events, value), run);
  }
});

Deno.test("hash everywhere: only digests of the content, which match it", async () => {
  const run = "24-synthetic-chatgpt-auth-json";
  const events = await classifyCodexRun(run, policyWithEveryRule("hash"));
  const sent = await sentContent(run);
  for (const value of Object.values(sent).flat()) assert.ok(!appears(events, value));
  const prompt = events.find((event) => event.kind === "prompt");
  assert.ok(prompt?.kind === "prompt");
  assert.equal(prompt.prompt.sha256, hashContent(sent.prompt[0]));
  assert.equal(prompt.user?.email?.sha256, hashContent(MARKERS.email));
});

Deno.test("redact: a secret planted in tool arguments is scrubbed from every field", () => {
  const secret = "sk-" + "proj-" + "Zx8Qw2Lk9Vb4Nm7Tr1Yp6Hs3Jd5Fg0Ac";
  const assignment = "OPENAI_API_KEY=" + secret;
  const cases: Record<string, FlatValue>[] = [
    {
      tool_name: "exec_command",
      arguments: JSON.stringify({ cmd: `export ${assignment} && codex` }),
    },
    {
      tool_name: "shell",
      arguments: JSON.stringify({
        command: ["bash", "-lc", `curl -H 'Authorization: Bearer ${secret}' x`],
      }),
    },
    {
      tool_name: "apply_patch",
      arguments: JSON.stringify({
        input: `*** Begin Patch\n*** Add File: .env\n+${assignment}\n*** End Patch`,
      }),
    },
    { tool_name: "lookup", mcp_server: "docs", arguments: JSON.stringify({ api_key: secret }) },
    { tool_name: "web_search", arguments: `{"query": "why is ${assignment} rejected"}` },
  ];
  for (const attributes of cases) {
    const record = codexLogRecord({
      "event.name": "codex.tool_result",
      call_id: "call_1",
      success: "true",
      duration_ms: 5,
      output: "done",
      ...attributes,
    });
    const event = classifyCodexLogRecord(record, {
      policy: DEFAULT_POLICY,
      receivedAt: new Date(0),
    });
    assert.ok(event);
    const strings = allStrings(event);
    assert.ok(
      !strings.some((text) => text.includes(secret)),
      `${event.kind}: ${JSON.stringify(event)}`,
    );
    assert.ok(strings.some((text) => text.includes("[REDACTED:")), JSON.stringify(event));
  }
});

Deno.test("spans: a path in a span attribute follows the tool_arguments rule", async () => {
  const cwd = "/home/dev/sandbox0";
  const spans = (policy: Policy) =>
    classifyCodexRun("06-http-binary-all-prompt-false", policy, ["traces"]);
  assert.deepEqual(await spans(DEFAULT_POLICY), [], "spans are off by default");
  const withSpans = (rule: string) =>
    policyOf({ harnesses: { codex: { include_spans: true } }, content: { tool_arguments: rule } });
  assert.ok(appears(await spans(withSpans("redact")), cwd));
  const dropped = await spans(withSpans("drop"));
  assert.ok(dropped.length > 500);
  assert.ok(!appears(dropped, cwd));
});

// --- property: arbitrary records, markers planted in content, drop rules ---

const MARKER = "QvPLANTEDMARKERzX";
const ALL_DROP = policyWithEveryRule("drop", {
  harnesses: { codex: { include_spans: true, include_metrics: true } },
});

/** Text around the marker, sometimes JSON-shaped, sometimes a patch or a command header. */
const withMarker: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}${MARKER}${b}`),
  fc.constantFrom(
    JSON.stringify({ cmd: `echo ${MARKER}`, workdir: `/srv/${MARKER}` }),
    JSON.stringify({ command: ["bash", "-lc", `cat ${MARKER}`], cwd: MARKER }),
    JSON.stringify({
      input:
        `*** Begin Patch\n*** Update File: ${MARKER}.ts\n*** Move to: b/${MARKER}\n*** End Patch`,
    }),
    JSON.stringify({
      command: ["apply_patch", `*** Begin Patch\n*** Delete File: ${MARKER}\n*** End Patch`],
    }),
    JSON.stringify({ sandbox_permissions: MARKER.toLowerCase(), cmd: "ls" }),
    `Process exited with code 0\nOutput:\n${MARKER}\n`,
    `*** Begin Patch\n*** Add File: ${MARKER}\n+x\n*** End Patch`,
  ),
);

/** Metadata values: anything but the marker. */
const metadata: fc.Arbitrary<FlatValue> = fc.oneof(
  fc.string().filter((text) => !text.includes(MARKER)),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom("true", "false", "42", "", "-3", "1.5", "1e3", " 7 "),
  fc.double(),
);

const CONTENT_ATTRIBUTES = [
  "prompt",
  "arguments",
  "output",
  "response",
  "rationale",
  "user.email",
  "user.account_id",
];

/** Attributes Beacon copies as metadata: planting content there is not what the test is about. */
const METADATA_ATTRIBUTES = new Set([
  "conversation.id",
  "app.version",
  "originator",
  "terminal.type",
  "model",
  "slug",
  "auth_mode",
  "tool_name",
  "tool_namespace",
  "call_id",
  "decision",
  "source",
  "agent_name",
  "mcp_server",
  "mcp_server_origin",
  "provider_name",
  "reasoning_effort",
  "reasoning_summary",
  "approval_policy",
  "sandbox_policy",
  "mcp_servers",
  "config.legacy_multi_agent_disabled_sources",
  "auth.env_provider_key_name",
  "agent.type",
  "turn.id",
  "item.id",
  "root.turn.id",
  "review.id",
  "status",
  "outcome",
  "risk_level",
  "user_authorization",
]);

const record: fc.Arbitrary<FlatLogRecord> = fc.record({
  name: fc.constantFrom(
    "codex.tool_result",
    "codex.sse_event",
    "codex.user_prompt",
    "codex.agent_response",
    "codex.guardian_assessment",
    "codex.conversation_starts",
    "codex.tool_decision",
  ),
  toolName: fc.constantFrom("exec_command", "shell", "apply_patch", "write_stdin", "mcp__s__t"),
  mcpServer: fc.constantFrom("", "github"),
  content: fc.dictionary(fc.constantFrom(...CONTENT_ATTRIBUTES), withMarker),
  // Attributes Beacon does not know: never copied, so the marker may be in them too.
  unknown: fc.dictionary(
    fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom("stdout", "cmd", "text", "input")).filter(
      (key) => !key.startsWith("event.") && !METADATA_ATTRIBUTES.has(key),
    ),
    fc.oneof(withMarker, metadata),
  ),
  known: fc.dictionary(
    fc.constantFrom(
      "tool_result_seq",
      "duration_ms",
      "success",
      "call_id",
      "decision",
      "source",
      "event.kind",
      "prompt_length",
      "response_length",
      "rationale_length",
      "mcp_server_count",
      "started_at_ms",
      "completed_at_ms",
      "output_truncated",
      "response_truncated",
      "text_input_count",
      "input_token_count",
      "output_token_count",
    ),
    metadata,
  ),
}).map(({ name, toolName, mcpServer, content, unknown, known }) =>
  codexLogRecord({
    ...unknown,
    ...known,
    tool_name: toolName,
    mcp_server: mcpServer,
    ...content,
    "event.name": name,
  })
);

Deno.test("property: under drop rules, planted content never appears in the event", () => {
  fc.assert(
    fc.property(record, (input) => {
      const event = classifyCodexLogRecord(input, { policy: ALL_DROP, receivedAt: new Date(0) });
      if (event === undefined) return;
      assertValidBeaconEvent(event);
      const json = JSON.stringify(event);
      assert.ok(!json.includes(MARKER), json);
      assert.ok(!allStrings(event).some((text) => text.includes(MARKER)), json);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: the marker does appear under keep, so the property above is not vacuous", () => {
  let seen = 0;
  fc.assert(
    fc.property(record, (input) => {
      const event = classifyCodexLogRecord(input, { policy: KEEP_POLICY, receivedAt: new Date(0) });
      if (event !== undefined && JSON.stringify(event).includes(MARKER)) seen++;
    }),
    { numRuns: 500 },
  );
  assert.ok(seen > 100, `${seen} of 500`);
});
