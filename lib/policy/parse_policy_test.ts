import assert from "node:assert/strict";
import { parsePolicy, PolicyError } from "./parse_policy.ts";
import { DEFAULT_POLICY_TEXT } from "./load_policy.ts";

function problemsOf(text: string): PolicyError {
  try {
    parsePolicy(text, "team.toml");
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  assert.fail("expected a PolicyError");
}

Deno.test("every shipped policy is valid, and the built-in default is privacy-preserving", () => {
  for (const entry of Deno.readDirSync(new URL("../../policies/", import.meta.url))) {
    const text = Deno.readTextFileSync(new URL(`../../policies/${entry.name}`, import.meta.url));
    parsePolicy(text, entry.name);
  }
  const policy = parsePolicy(DEFAULT_POLICY_TEXT, "built-in default");
  assert.deepEqual(policy.content, {
    prompt: "drop",
    tool_arguments: "redact",
    tool_output: "drop",
    agent_response: "drop",
    identity: "hash",
    max_field_bytes: 4096,
  });
  assert.equal(policy.collector.listen, "127.0.0.1:4318");
  assert.equal(policy.harnesses.codex.include_spans, false);
  assert.deepEqual(parsePolicy("", "empty"), policy, "every key is optional");
});

Deno.test("a TOML syntax error names file, line and column", () => {
  const error = problemsOf(`version = 1\n[content]\nprompt = "keep\n`);
  assert.equal(error.syntax?.line, 3);
  assert.match(error.message, /^Policy team\.toml:3:\d+ is not valid TOML/);
});

Deno.test("unknown keys are errors that suggest the closest valid key", () => {
  const error = problemsOf(`[content]\npromt = "hash"\n[colector]\nlisten = "x"\n`);
  const byPath = Object.fromEntries(error.problems.map((p) => [p.path, p.message]));
  assert.match(byPath["content.promt"], /unknown key "promt"; did you mean "prompt"\?/);
  assert.match(byPath["colector"], /did you mean "collector"\?/);
});

Deno.test("invalid values name the key path and what was expected", () => {
  const error = problemsOf(`[content]\ntool_output = "shred"\nmax_field_bytes = 10\n`);
  const paths = error.problems.map((p) => p.path);
  assert.ok(paths.includes("content.tool_output"));
  assert.ok(paths.includes("content.max_field_bytes"));
  assert.match(error.message, /content\.tool_output: .*"keep".*"redact".*"hash".*"drop"/);
});

Deno.test("the collector stays on loopback unless the policy explicitly allows otherwise", () => {
  const error = problemsOf(`[collector]\nlisten = "0.0.0.0:4318"\n`);
  assert.match(error.message, /collector\.listen: "0\.0\.0\.0:4318" is not a loopback address/);
  const allowed = parsePolicy(
    `[collector]\nlisten = "0.0.0.0:4318"\nallow_non_loopback = true\n`,
    "t",
  );
  assert.equal(allowed.collector.listen, "0.0.0.0:4318");
  parsePolicy(`[collector]\nlisten = "[::1]:4318"\n`, "ipv6 loopback");
});

Deno.test("Codex over gRPC needs the collector's gRPC listener", () => {
  const error = problemsOf(`[harnesses.codex]\ntransport = "grpc"\n`);
  assert.match(
    error.message,
    /harnesses\.codex\.transport: "grpc" needs the collector's gRPC listener/,
  );
  parsePolicy(`[harnesses.codex]\ntransport = "grpc"\n[collector]\ngrpc = true\n`, "ok");
});

Deno.test("a token must look like one", () => {
  const error = problemsOf(`[collector]\ntoken = "short"\n`);
  assert.match(error.message, /collector\.token: .*16 to 256 printable ASCII/);
});
