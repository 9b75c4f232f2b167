import assert from "node:assert/strict";
import { signalNumber } from "./signal_number.ts";

Deno.test("signalNumber: the shell's numbers; SIGBUS per system; unknown is 0", () => {
  assert.equal(signalNumber("SIGINT"), 2);
  assert.equal(signalNumber("SIGKILL"), 9);
  assert.equal(signalNumber("SIGTERM"), 15);
  assert.equal(signalNumber("SIGBUS", "linux"), 7);
  assert.equal(signalNumber("SIGBUS", "darwin"), 10);
  assert.equal(signalNumber("SIGWINCH"), 0);
});
