/**
 * `beacon ci exec` reaches the machine through the System it is given: the run's folder and the
 * GitHub files through its `fs`, the wrapped command through `processes.runAttached`. The
 * collector is real (the bundle, started through the real processes), so the run is a real one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../../lib/cli/run_cli.ts";
import type { Host } from "../../lib/host/host.ts";
import type { AttachedOptions } from "../../lib/host/processes.ts";
import { realProcesses } from "../../lib/host/real_processes.ts";
import { runCommand } from "../../lib/host/run_command.ts";
import { bundleBeacon, makeTempHome } from "../support/beacon_bundle.ts";
import { recordingSystem } from "../support/recording_system.ts";

Deno.test("ci exec: the run's folder, $GITHUB_OUTPUT and the command go through the System", async () => {
  await using tmp = await makeTempHome();
  const baseDir = join(tmp.home, "run");
  const githubOutput = join(tmp.home, "github_output");
  const host: Host = {
    home: tmp.home,
    cwd: tmp.home,
    systemRoot: join(tmp.home, "root"),
    os: Deno.build.os,
    env: {
      HOME: tmp.home,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      GITHUB_OUTPUT: githubOutput,
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR") } : {}),
    },
    now: () => new Date(),
  };
  const system = recordingSystem(host);
  const attached: string[] = [];
  const bundle = await bundleBeacon();
  const processes = {
    ...realProcesses(),
    // The collector is this test's bundle, as `beacon ci exec` run from it would start it.
    self: { execPath: Deno.execPath(), mainModule: pathToFileURL(bundle).href, standalone: false },
    runAttached(cmd: string, args: readonly string[], options: AttachedOptions) {
      attached.push(`${[cmd, ...args].join(" ")} (${options.forwardSignals.join(", ")})`);
      assert.ok(options.env.CODEX_HOME?.startsWith(baseDir), "the command gets the run's folders");
      // The command itself would exit 7: 5 proves the answer came from here.
      return Promise.resolve(5);
    },
  };
  let output = "";
  const code = await runCli(
    ["ci", "exec", "--base-dir", baseDir, "--", "sh", "-c", "exit 7"],
    {
      host,
      fs: system.fs,
      run: runCommand,
      processes,
      stdout: (text) => (output += text),
      stderr: (text) => (output += text),
    },
  );
  assert.equal(code, 5, output);
  assert.deepEqual(attached, ["sh -c exit 7 (SIGINT, SIGTERM)"]);
  assert.ok(system.writes.includes(`mkdir ${baseDir}`), system.writes.join("\n"));
  assert.ok(system.writes.includes(`append ${githubOutput}`), system.writes.join("\n"));
  assert.match(await Deno.readTextFile(githubOutput), /state-path/);
});
