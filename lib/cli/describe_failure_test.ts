import assert from "node:assert/strict";
import { describeFailure, isDebug } from "./describe_failure.ts";
import { UsageError } from "./usage_error.ts";

const STACK_FRAME = /^\s+at /m;

Deno.test("an expected failure is its message, exit 1; a usage error exit 2; no stack", () => {
  const listen = Object.assign(
    new Error("Cannot listen on 127.0.0.1:4318: the address is in use."),
    {
      name: "ListenError",
    },
  );
  assert.deepEqual(describeFailure(listen, false), {
    text: "error: Cannot listen on 127.0.0.1:4318: the address is in use.\n",
    code: 1,
  });
  assert.deepEqual(describeFailure(new UsageError('unknown command "aply"'), false), {
    text: 'error: unknown command "aply"\n',
    code: 2,
  });
});

Deno.test("an operating-system refusal names the path and says what to do, exit 1", () => {
  let refusal: unknown;
  const folder = Deno.makeTempDirSync();
  try {
    Deno.readFileSync(folder);
  } catch (error) {
    refusal = error;
  } finally {
    Deno.removeSync(folder);
  }
  const failure = describeFailure(refusal, false);
  assert.equal(failure.code, 1);
  assert.match(failure.text, /^error: Is a directory .*readfile '\/.*': a folder is where a file/);
  assert.equal(failure.text.split("\n").length, 2, "one line");
});

Deno.test("a bug is one line that says so and how to see more; its stack only with BEACON_DEBUG", () => {
  let bug: unknown;
  try {
    (undefined as unknown as { x: () => void }).x();
  } catch (error) {
    bug = error;
  }
  const quiet = describeFailure(bug, false);
  assert.equal(quiet.code, 1);
  assert.match(quiet.text, /^error: unexpected TypeError: .*\n.*BEACON_DEBUG=1 for details/);
  assert.doesNotMatch(quiet.text, STACK_FRAME);

  const loud = describeFailure(new Error("outer", { cause: bug }), true);
  assert.match(loud.text, /^error: outer\nError: outer\n\s+at /);
  assert.match(loud.text, /caused by: TypeError: /);
  assert.match(describeFailure(bug, true).text, STACK_FRAME);
});

Deno.test("BEACON_DEBUG is on for any value but empty, 0 and false", () => {
  assert.equal(isDebug({}), false);
  assert.equal(isDebug({ BEACON_DEBUG: "" }), false);
  assert.equal(isDebug({ BEACON_DEBUG: "0" }), false);
  assert.equal(isDebug({ BEACON_DEBUG: "false" }), false);
  assert.equal(isDebug({ BEACON_DEBUG: "1" }), true);
});
