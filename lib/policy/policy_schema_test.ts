import assert from "node:assert/strict";
import { parsePolicy, PolicyError } from "./parse_policy.ts";
import { policyJsonSchema } from "./policy_json_schema.ts";

function problemsOf(text: string): Record<string, string> {
  try {
    parsePolicy(text, "p.toml");
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.path, p.message]));
  }
  assert.fail("the policy was accepted");
}

Deno.test("[ci] require takes KIND (any harness) and HARNESS:KIND (that harness)", () => {
  const policy = parsePolicy(
    `[ci]\nrequire = ["session_start", "claude-code:token_usage", "codex:prompt"]\n`,
    "p.toml",
  );
  assert.deepEqual(policy.ci.require, ["session_start", "claude-code:token_usage", "codex:prompt"]);
});

Deno.test("[ci] require: each bad entry is named, with the valid choices", () => {
  const problems = problemsOf(
    `[ci]\nrequire = ["token_usage", "codx:token_usage", "claude-code:tokens", ` +
      `"codex:token_usage:x", " codex:prompt", 3]\n`,
  );
  assert.deepEqual(Object.keys(problems), [
    "ci.require.1",
    "ci.require.2",
    "ci.require.3",
    "ci.require.4",
    "ci.require.5",
  ]);
  assert.equal(
    problems["ci.require.1"],
    'unknown harness "codx" in "codx:token_usage" (did you mean codex?); ' +
      "write KIND or HARNESS:KIND, harnesses: codex, claude-code",
  );
  assert.match(
    problems["ci.require.2"],
    /^unknown event kind "tokens" in "claude-code:tokens"; write KIND or HARNESS:KIND, kinds: session_start, prompt, .*token_usage/,
  );
  assert.match(problems["ci.require.3"], /unknown event kind "token_usage:x"/);
  assert.equal(
    problems["ci.require.4"],
    '" codex:prompt": write KIND or HARNESS:KIND without spaces',
  );
  assert.match(problems["ci.require.5"], /expected string/);
});

Deno.test("the policy's JSON Schema describes [ci] require's two forms", () => {
  const schema = policyJsonSchema() as {
    properties: {
      ci: { properties: { require: { description: string; items: { pattern: string } } } };
    };
  };
  const require = schema.properties.ci.properties.require;
  assert.match(
    require.description,
    /HARNESS:KIND .*claude-code:token_usage.*Harnesses: codex, claude-code/,
  );
  const pattern = new RegExp(require.items.pattern);
  assert.ok(pattern.test("claude-code:token_usage"));
  assert.ok(pattern.test("session_start"));
  assert.ok(!pattern.test("claude:token_usage"));
});
