import assert from "node:assert/strict";
import {
  classifyApplyPatch,
  codexApplyPatchText,
  shellApplyPatchText,
} from "./classify_apply_patch.ts";
import { classifyShellArguments, CODEX_SHELL_TOOLS } from "./classify_shell_arguments.ts";

Deno.test("classifyApplyPatch: every header kind, distinct paths in order, CRLF and indentation", () => {
  const patch = "*** Begin Patch\r\n*** Add File: a.txt\r\n+x\r\n  *** Update File: b.txt  \r\n" +
    "*** Move to: c.txt\r\n*** Update File: a.txt\r\n*** Delete File: d.txt\r\n*** End Patch\r\n";
  assert.deepEqual(classifyApplyPatch(patch), {
    paths: ["a.txt", "b.txt", "c.txt", "d.txt"],
    operations: { add: 1, update: 2, delete: 1, move: 1 },
  });
});

Deno.test("classifyApplyPatch: changed lines that look like headers do not count", () => {
  const patch =
    "*** Begin Patch\n*** Update File: a.md\n@@\n+*** Add File: \n-** Delete File: x\n*** End Patch";
  assert.deepEqual(classifyApplyPatch(patch).paths, ["a.md"]);
  assert.deepEqual(classifyApplyPatch(""), {
    paths: [],
    operations: { add: 0, update: 0, delete: 0, move: 0 },
  });
});

Deno.test("codexApplyPatchText: apply_patch as JSON, freeform text or nothing", () => {
  assert.equal(codexApplyPatchText("apply_patch", '{"input":"P"}'), "P");
  assert.equal(codexApplyPatchText("apply_patch", '{"patch":"Q"}'), "Q");
  assert.equal(codexApplyPatchText("apply_patch", '"R"'), "R");
  assert.equal(
    codexApplyPatchText("apply_patch", "*** Begin Patch\n*** End Patch"),
    "*** Begin Patch\n*** End Patch",
  );
  assert.equal(codexApplyPatchText("apply_patch", "{}"), "");
  assert.equal(codexApplyPatchText("apply_patch", undefined), "");
});

Deno.test("codexApplyPatchText: shell tools running apply_patch, and those that do not", () => {
  assert.equal(codexApplyPatchText("shell", '{"command":["apply_patch","P"]}'), "P");
  assert.equal(codexApplyPatchText("shell", '{"command":["/usr/bin/applypatch","P"]}'), "P");
  assert.equal(
    codexApplyPatchText(
      "shell",
      JSON.stringify({
        command: ["bash", "-lc", "apply_patch <<'EOF'\n*** Begin Patch\n*** End Patch\nEOF"],
      }),
    ),
    "*** Begin Patch\n*** End Patch\nEOF",
  );
  assert.equal(codexApplyPatchText("exec_command", '{"cmd":"echo apply_patch"}'), undefined);
  assert.equal(codexApplyPatchText("exec_command", '{"cmd":"apply_patch --help"}'), undefined);
  assert.equal(codexApplyPatchText("web_search", '{"command":["apply_patch","P"]}'), undefined);
  assert.equal(codexApplyPatchText(null, undefined), undefined);
});

Deno.test("shellApplyPatchText: the shell half of codexApplyPatchText", () => {
  const cases = [
    '{"command":["apply_patch","P"]}',
    '{"command":["bash","-lc","apply_patch <<\'EOF\'\\n*** Begin Patch\\n*** End Patch\\nEOF"]}',
    '{"cmd":"apply_patch <<\'EOF\'\\n*** Begin Patch\\n*** End Patch\\nEOF"}',
    '{"cmd":"echo apply_patch"}',
    '{"cmd":"ls"}',
    "apply_patch *** Begin Patch",
    "",
    "{broken",
  ];
  for (const text of cases) {
    for (const tool of CODEX_SHELL_TOOLS) {
      assert.equal(
        shellApplyPatchText(classifyShellArguments(text)),
        codexApplyPatchText(tool, text),
        `${tool} ${text}`,
      );
    }
  }
  assert.equal(shellApplyPatchText({ argv: ["apply_patch", "P"], command: "apply_patch P" }), "P");
  assert.equal(shellApplyPatchText({}), undefined);
});
