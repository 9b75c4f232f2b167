import assert from "node:assert/strict";
import { formatGithubFileEntries, formatShellExports } from "./format_ci_variables.ts";

Deno.test("formatGithubFileEntries: NAME=value, and the delimiter form for a value with a newline", () => {
  let n = 0;
  const text = formatGithubFileEntries(
    { "codex-home": "/tmp/b/codex-home", NOTE: "line one\nx=injected" },
    () => `id${n++}`,
  );
  assert.equal(
    text,
    "codex-home=/tmp/b/codex-home\nNOTE<<ghadelimiter_id0\nline one\nx=injected\nghadelimiter_id0\n",
  );
});

Deno.test("formatGithubFileEntries picks a delimiter the value does not contain", () => {
  let n = 0;
  const text = formatGithubFileEntries(
    { A: "ghadelimiter_id0\nrest" },
    () => `id${n++}`,
  );
  assert.equal(text, "A<<ghadelimiter_id1\nghadelimiter_id0\nrest\nghadelimiter_id1\n");
});

Deno.test("formatShellExports quotes every value so the shell expands nothing", async () => {
  const value = `it's $HOME \`id\` "q"\nnext`;
  const text = formatShellExports({ CODEX_HOME: value });
  const result = await new Deno.Command("/bin/sh", {
    args: ["-c", `${text}printf %s "$CODEX_HOME"`],
    stdout: "piped",
  }).output();
  assert.equal(new TextDecoder().decode(result.stdout), value);
  assert.throws(() => formatShellExports({ "bad-name": "x" }), /not a valid shell variable/);
});
