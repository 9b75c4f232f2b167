import assert from "node:assert/strict";
import { parseVersionOutput } from "./parse_version_output.ts";

Deno.test("parseVersionOutput finds the version in what each agent prints", () => {
  assert.equal(parseVersionOutput("codex-cli 0.169.0\n"), "0.169.0");
  assert.equal(parseVersionOutput("1.0.33 (Claude Code)\n"), "1.0.33");
  assert.equal(parseVersionOutput("0.1.5\n"), "0.1.5");
  assert.equal(parseVersionOutput("GitHub Copilot CLI 0.0.328.\nCommit: 3c4b2a1\n"), "0.0.328");
  assert.equal(parseVersionOutput("v22.3.0"), "22.3.0");
  assert.equal(parseVersionOutput("tool 2.0.0-beta.1+build.7"), "2.0.0-beta.1+build.7");
});

Deno.test("parseVersionOutput skips lines without a version and gives undefined for none", () => {
  assert.equal(
    parseVersionOutput("WARNING: something\ncodex-cli 0.170.0-alpha.2"),
    "0.170.0-alpha.2",
  );
  assert.equal(parseVersionOutput(""), undefined);
  assert.equal(parseVersionOutput("usage: tool [options]"), undefined);
  assert.equal(parseVersionOutput("build abc123.def"), undefined);
});
