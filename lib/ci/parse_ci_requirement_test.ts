import assert from "node:assert/strict";
import { formatCiRequirement, parseCiRequirement } from "./parse_ci_requirement.ts";

Deno.test("parseCiRequirement: KIND means any harness, HARNESS:KIND that harness", () => {
  assert.deepEqual(parseCiRequirement("token_usage"), {
    ok: true,
    requirement: { kind: "token_usage" },
  });
  assert.deepEqual(parseCiRequirement("claude-code:token_usage"), {
    ok: true,
    requirement: { harness: "claude-code", kind: "token_usage" },
  });
  assert.deepEqual(parseCiRequirement(" codex : session_start "), {
    ok: true,
    requirement: { harness: "codex", kind: "session_start" },
  });
  assert.equal(formatCiRequirement({ harness: "codex", kind: "prompt" }), "codex:prompt");
  assert.equal(formatCiRequirement({ kind: "prompt" }), "prompt");
});

Deno.test("parseCiRequirement: an unknown harness or kind names the entry and the choices", () => {
  const harness = parseCiRequirement("codx:token_usage");
  assert.equal(harness.ok, false);
  assert.equal(
    !harness.ok && harness.problem,
    'unknown harness "codx" in "codx:token_usage" (did you mean codex?); ' +
      "write KIND or HARNESS:KIND, harnesses: codex, claude-code",
  );
  const kind = parseCiRequirement("codex:token_usgae");
  assert.equal(kind.ok, false);
  assert.match(
    !kind.ok ? kind.problem : "",
    /^unknown event kind "token_usgae" in "codex:token_usgae" \(did you mean token_usage\?\); write KIND or HARNESS:KIND, kinds: session_start, .*token_usage/,
  );
  for (const bad of ["", "codex:", ":token_usage", "codex:claude-code:prompt"]) {
    assert.equal(parseCiRequirement(bad).ok, false, bad);
  }
});
