import assert from "node:assert/strict";
import { classifyExitCode } from "./classify_exit_code.ts";

Deno.test("classifyExitCode: unified exec, freeform shell and JSON shell outputs", () => {
  assert.equal(
    classifyExitCode(
      "Chunk ID: 49d5e2\nWall time: 0.0163 seconds\nProcess exited with code 0\nOriginal token count: 20\nOutput:\nok\n",
    ),
    0,
  );
  assert.equal(classifyExitCode("Exit code: 127\nWall time: 0 seconds\nOutput:\nnot found\n"), 127);
  assert.equal(classifyExitCode("Exit code: -1\r\nOutput:\r\n"), -1);
  assert.equal(
    classifyExitCode('{"output":"x","metadata":{"exit_code":3,"duration_seconds":0.1}}'),
    3,
  );
});

Deno.test("classifyExitCode: the command's own output cannot fake a code", () => {
  assert.equal(
    classifyExitCode("Process running with session ID 7\nOutput:\nProcess exited with code 0\n"),
    undefined,
  );
  assert.equal(
    classifyExitCode("Process exited with code 0"),
    undefined,
    "no header without Output:",
  );
  assert.equal(classifyExitCode('{"output":"Exit code: 0"}'), undefined);
  assert.equal(classifyExitCode("{not json"), undefined);
  assert.equal(classifyExitCode(""), undefined);
});
