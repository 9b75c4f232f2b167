/**
 * `endpoint uninstall --plan` is the plan `endpoint uninstall` applies: a System that records
 * every write and every program run sees `--plan` change nothing, and sees uninstall touch
 * exactly the paths and run exactly the service commands the plan named (plus Beacon's own
 * bookkeeping: its lock, its state record, backups). And uninstall removes only regular files:
 * a folder found where Beacon's endpoint configuration would be is left alone, and said so.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Host } from "../../lib/host/host.ts";
import { endpointPaths } from "../../lib/endpoint/endpoint_paths.ts";
import { systemdUnitPath } from "../../lib/endpoint/service/render_systemd_unit.ts";
import {
  codexMachineForSystemTests,
  type RecordingSystem,
  recordingSystem,
  runCliOn,
} from "../support/recording_system.ts";

/** A systemd --user whose collector unit is active; every other call succeeds. */
function activeSystemd(host: Host): RecordingSystem {
  return recordingSystem(host, (line) => ({
    stdout: line.includes(" show ")
      ? "ActiveState=active\nSubState=running\nUnitFileState=enabled\nMainPID=4242\n"
      : "running\n",
  }));
}

const READ_ONLY = /^systemctl (--user )?(show|is-system-running)\b/;

async function installedMachine() {
  const { tmp, policyPath, host } = await codexMachineForSystemTests("planted-token-4c2a");
  const paths = endpointPaths("user", host);
  // Beacon's settings in Codex's config and its state, as `beacon apply` writes them.
  const applied = await beacon(activeSystemd(host), "apply", "--policy", policyPath);
  assert.equal(applied.code, 0, applied.output);
  // The rest of an install: its files, the service unit, the logs.
  await Deno.writeTextFile(join(paths.stateDir, "endpoint.json"), "{}\n");
  await Deno.writeTextFile(paths.tokenPath, "not-the-policy-token\n");
  const unit = systemdUnitPath("user", host);
  await Deno.mkdir(join(unit, ".."), { recursive: true });
  await Deno.writeTextFile(unit, "[Service]\n");
  const logs = join(paths.stateDir, "logs");
  await Deno.mkdir(logs);
  await Deno.writeTextFile(join(logs, "runtime.jsonl"), "{}\n");
  await Deno.writeTextFile(join(logs, "collector.log"), "started\n");
  return { tmp, host, paths, policyPath, unit, logs };
}

const beacon = runCliOn;

interface ShownStep {
  kind: string;
  path?: string;
  realPath?: string;
  action?: string;
  remove?: string;
  changes?: { kind: string; path?: string; action?: string }[];
}

Deno.test("endpoint uninstall --plan shows exactly what uninstall then does, recorded through the System", async () => {
  const machine = await installedMachine();
  await using _home = machine.tmp;
  const { host, paths, policyPath } = machine;

  const planning = activeSystemd(host);
  const shown = await beacon(
    planning,
    ...["endpoint", "uninstall", "--plan", "--purge", "--json", "--policy", policyPath],
  );
  assert.equal(shown.code, 2, shown.output);
  assert.deepEqual(planning.writes, [], "--plan writes nothing");
  for (const line of planning.runs) assert.match(line, READ_ONLY, "--plan only reads");
  const steps: ShownStep[] = JSON.parse(shown.output).plan.steps;

  // What the plan says will be touched, in the recorder's words.
  const planned = new Set<string>();
  let stops = 0;
  for (const step of steps) {
    if (step.kind.endsWith("-settings") && step.changes?.length) {
      planned.add(`config ${step.realPath}`);
    }
    if (step.kind === "file" && step.action === "delete") planned.add(`remove ${step.path}`);
    if (step.kind === "folder" && step.remove) planned.add(`rmdir ${step.path}`);
    for (const change of step.kind === "service-removal" ? step.changes ?? [] : []) {
      if (change.kind === "remove-file") planned.add(`remove ${change.path}`);
      if (change.kind === "stop") stops++;
    }
  }
  const codexConfig = join(machine.tmp.codexHome, "config.toml");
  assert.deepEqual(
    [...planned].sort(),
    [
      `config ${codexConfig}`,
      `remove ${join(paths.stateDir, "endpoint.json")}`,
      `remove ${paths.tokenPath}`,
      `remove ${paths.statePath}`,
      `remove ${machine.unit}`,
      `remove ${join(machine.logs, "runtime.jsonl")}`,
      `remove ${join(machine.logs, "collector.log")}`,
      `rmdir ${machine.logs}`,
    ].sort(),
    "the plan names the whole install",
  );
  assert.equal(stops, 1, "the plan stops the running collector");

  const applying = activeSystemd(host);
  const done = await beacon(applying, "endpoint", "uninstall", "--purge", "--policy", policyPath);
  assert.equal(done.code, 0, done.output);
  // Beacon's bookkeeping, not part of what was installed: the lock this run takes (and its
  // folder), the state record updated before it goes, the config's backup.
  const bookkeeping = (line: string) =>
    line.endsWith(paths.lockPath) || line === `mkdir ${paths.stateDir}` ||
    line === `rmdir ${paths.stateDir}` || line === `write ${paths.statePath}` ||
    line.endsWith(".beacon.bak");
  const touched = new Set(
    applying.writes.filter((line) => !bookkeeping(line)).map((line) =>
      line === `write ${codexConfig}` || line === `remove ${codexConfig}`
        ? `config ${codexConfig}`
        : line
    ),
  );
  assert.deepEqual([...touched].sort(), [...planned].sort(), "uninstall did what --plan showed");
  const changing = applying.runs.filter((line) => !READ_ONLY.test(line));
  assert.deepEqual(changing, [
    "systemctl --user disable --now beacon-collector.service",
    "systemctl --user daemon-reload",
    "systemctl --user reset-failed beacon-collector.service",
  ]);
  assert.equal(await Deno.readTextFile(codexConfig), `model = "o3"\n`, "Codex's config given back");
});

Deno.test("a folder where endpoint.json would be survives uninstall, and the output says so", async () => {
  const machine = await installedMachine();
  await using _home = machine.tmp;
  const { host, paths, policyPath } = machine;
  const endpointJson = join(paths.stateDir, "endpoint.json");
  await Deno.remove(endpointJson);
  await Deno.mkdir(endpointJson);

  const shown = await beacon(
    activeSystemd(host),
    ...["endpoint", "uninstall", "--plan", "--policy", policyPath],
  );
  assert.match(
    shown.output,
    new RegExp(`leaves ${endpointJson}: a folder where Beacon's endpoint configuration would be`),
  );
  assert.doesNotMatch(shown.output, new RegExp(`- ${endpointJson} `));

  const done = await beacon(activeSystemd(host), "endpoint", "uninstall", "--policy", policyPath);
  assert.equal(done.code, 3, `something was left alone: exit 3\n${done.output}`);
  assert.ok(
    (await Deno.lstat(endpointJson)).isDirectory,
    `the folder is still there\n${done.output}`,
  );
  assert.match(
    done.output,
    new RegExp(
      `left ${endpointJson}: a folder where Beacon's endpoint configuration would be; not ` +
        "Beacon's, so left alone",
    ),
  );
  assert.doesNotMatch(done.output, /removed .*endpoint\.json/);
  assert.equal(await Deno.lstat(paths.tokenPath).catch(() => null), null, "the token file went");
});
