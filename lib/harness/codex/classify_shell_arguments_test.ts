import assert from "node:assert/strict";
import { classifyShellArguments, quoteArgv } from "./classify_shell_arguments.ts";

Deno.test("classifyShellArguments: exec_command, shell argv, shell_command and plain text", () => {
  assert.deepEqual(classifyShellArguments('{"cmd":"echo hi","yield_time_ms":2000}'), {
    command: "echo hi",
  });
  assert.deepEqual(classifyShellArguments('{"command":["ls","-la","my dir"],"cwd":"/r"}'), {
    command: "ls -la 'my dir'",
    argv: ["ls", "-la", "my dir"],
    workdir: "/r",
  });
  assert.deepEqual(classifyShellArguments('{"command":"make test","working_directory":"/w"}'), {
    command: "make test",
    workdir: "/w",
  });
  assert.deepEqual(classifyShellArguments("git status"), { command: "git status" });
  assert.deepEqual(classifyShellArguments("  "), {});
  assert.deepEqual(classifyShellArguments('{"command":[1,2]}'), {});
  assert.deepEqual(classifyShellArguments("{broken"), { command: "{broken" });
});

Deno.test("classifyShellArguments: only Codex's known sandbox_permissions are copied", () => {
  assert.equal(
    classifyShellArguments('{"cmd":"x","sandbox_permissions":"require_escalated"}')
      .sandboxPermissions,
    "require_escalated",
  );
  assert.equal(
    classifyShellArguments('{"cmd":"x","sandbox_permissions":"anything_else"}').sandboxPermissions,
    undefined,
  );
});

Deno.test("quoteArgv: safe words bare, others single-quoted", () => {
  assert.equal(quoteArgv(["echo", "a b", "it's", "", "--x=1"]), "echo 'a b' 'it'\\''s' '' --x=1");
});
