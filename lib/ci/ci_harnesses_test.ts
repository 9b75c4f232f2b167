import assert from "node:assert/strict";
import * as v from "valibot";
import { PolicySchema } from "../policy/policy_schema.ts";
import { ciHarnesses } from "./ci_harnesses.ts";

const names = (harnesses: ReturnType<typeof ciHarnesses>) =>
  harnesses.map((harness) => [harness.adapter.name, harness.home.variable]);

Deno.test("ciHarnesses: every harness the policy enables, in registry order, or those chosen", () => {
  const both = v.parse(PolicySchema, {});
  assert.deepEqual(names(ciHarnesses(both, "default")), [
    ["codex", "CODEX_HOME"],
    ["claude-code", "CLAUDE_CONFIG_DIR"],
  ]);
  assert.deepEqual(names(ciHarnesses(both, "default", ["claude-code"])), [
    ["claude-code", "CLAUDE_CONFIG_DIR"],
  ]);
  const noCodex = v.parse(PolicySchema, { harnesses: { codex: { enabled: false } } });
  assert.deepEqual(names(ciHarnesses(noCodex, "p.toml")), [["claude-code", "CLAUDE_CONFIG_DIR"]]);
});

Deno.test("ciHarnesses: a chosen harness the policy disables, or nothing to prepare, says what to do", () => {
  const noClaude = v.parse(PolicySchema, { harnesses: { "claude-code": { enabled: false } } });
  assert.throws(
    () => ciHarnesses(noClaude, "/repo/.beacon/policy.toml", ["claude-code"]),
    {
      message: "Cannot start the CI run for claude-code: the policy (/repo/.beacon/policy.toml) " +
        "disables it ([harnesses.claude-code] enabled = false). Enable it there, or choose " +
        "another --harness.",
    },
  );
  const none = v.parse(PolicySchema, {
    harnesses: { codex: { enabled: false }, "claude-code": { enabled: false } },
  });
  assert.throws(() => ciHarnesses(none, "p.toml"), /enables none of codex, claude-code/);
  assert.throws(() => ciHarnesses(none, "p.toml", ["gemini"]), /--harness gemini is not/);
});
