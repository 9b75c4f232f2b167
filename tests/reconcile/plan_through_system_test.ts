/**
 * The System seam: every file write and every program Beacon runs goes through the `fs` and
 * `run` the CLI is given. A System that records both proves that `apply --plan` and
 * `endpoint install|repair --plan` change nothing and run nothing but read-only probes, and
 * that the same recorder sees the writes of a real `apply` (so the silence is not the
 * recorder's).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  codexMachineForSystemTests,
  recordingSystem,
  runCliOn,
} from "../support/recording_system.ts";

/** The systemctl verbs that only read. */
const READ_ONLY = /^systemctl (--user )?(show|is-system-running|is-active|is-enabled|status)\b/;

const setUp = () => codexMachineForSystemTests("planted-token-9d1e");
const beacon = runCliOn;

Deno.test("--plan writes nothing and runs only read-only probes, through the System", async () => {
  const { tmp, policyPath, host } = await setUp();
  await using _home = tmp;
  for (
    const argv of [
      ["apply", "--plan"],
      ["apply", "--plan", "--json"],
      ["endpoint", "install", "--plan", "--harness", "codex"],
      ["endpoint", "install", "--plan", "--json", "--harness", "codex"],
      ["endpoint", "repair", "--plan", "--harness", "codex"],
    ]
  ) {
    const system = recordingSystem(host);
    const { code, output } = await beacon(system, ...argv, "--policy", policyPath);
    assert.equal(code, 2, `${argv.join(" ")}: changes to make\n${output}`);
    assert.deepEqual(system.writes, [], `${argv.join(" ")} wrote:\n${output}`);
    assert.deepEqual(system.processes.calls, [], `${argv.join(" ")} started or signalled`);
    for (const line of system.runs) {
      assert.match(line, READ_ONLY, `${argv.join(" ")} ran a program that changes things`);
    }
  }
});

Deno.test("the recorder sees what a real apply writes", async () => {
  const { tmp, policyPath, host } = await setUp();
  await using _home = tmp;
  const system = recordingSystem(host);
  const { code, output } = await beacon(system, "apply", "--policy", policyPath);
  assert.equal(code, 0, output);
  const config = join(tmp.codexHome, "config.toml");
  assert.ok(system.writes.includes(`write ${config}`), system.writes.join("\n"));
  assert.ok(system.writes.some((line) => line.startsWith("lock ")), "apply takes the lock");
});
