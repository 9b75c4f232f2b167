import assert from "node:assert/strict";
import { isCollectorAlive } from "../../lib/endpoint/service/is_collector_alive.ts";
import { readPidFile, writePidFile } from "../../lib/endpoint/service/pid_file.ts";
import { startDetached } from "../../lib/endpoint/service/start_detached.ts";
import { stopDetached } from "../../lib/endpoint/service/stop_detached.ts";
import { collectorServicePaths } from "../../lib/endpoint/service/collector_service_paths.ts";
import { BINARY_PERMISSION_FLAGS } from "../support/beacon_bundle.ts";
import { recordingRunner, SERVICE_SYSTEM } from "../support/recording_system.ts";
import { temporaryHost } from "./support/fixtures.ts";
import {
  fakeCollectorSpec,
  heartbeatLines,
  waitFor,
  waitUntilBeating,
} from "./support/fake_collector_spec.ts";
import { realProcesses } from "../../lib/host/real_processes.ts";

const SERVICE_CLI = new URL("./support/service_cli.ts", import.meta.url).pathname;

/** Runs support/service_cli.ts with the compiled binary's permissions; returns its stdout. */
async function serviceCli(...args: string[]): Promise<{ pid: number; stdout: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", ...BINARY_PERMISSION_FLAGS, SERVICE_CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = await child.output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return { pid: child.pid, stdout: new TextDecoder().decode(output.stdout).trim() };
}

/** Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, session. */
async function procStat(pid: number) {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const [state, ppid, pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state, ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session) };
}

Deno.test("a detached collector outlives the CLI that started it, and that CLI's permissions can see and stop it", async () => {
  await using host = await temporaryHost();
  const heartbeat = `${host.cwd}/heartbeat.txt`;
  const spec = fakeCollectorSpec(host, heartbeat);
  const { pidFile } = collectorServicePaths("user", host);

  // A separate CLI process, with the binary's permissions, starts the collector and exits.
  const starter = await serviceCli("start", JSON.stringify(spec), pidFile);
  const starterPid = starter.pid;
  const pid = Number(starter.stdout);

  const started = await waitUntilBeating(heartbeat);
  assert.equal(started.pid, pid, "the recorded pid is the collector's own (sh exec'd it)");
  assert.equal(await readPidFile(SERVICE_SYSTEM.files, pidFile), pid);
  assert.equal((await Deno.stat(pidFile)).mode! & 0o777, 0o600);
  assert.equal(await isCollectorAlive(pid, SERVICE_SYSTEM.processes), true);
  assert.equal((await serviceCli("alive", `${pid}`)).stdout, "true", "also without --allow-all");
  assert.equal((await serviceCli("alive", `${starterPid}`)).stdout, "false");

  const stat = await procStat(pid);
  assert.equal(stat.session, pid, "own session (setsid)");
  assert.equal(stat.pgrp, pid, "own process group");
  assert.notEqual(stat.ppid, starterPid, "re-parented after the starter exited");

  const beats = (await heartbeatLines(heartbeat)).length;
  await waitFor(
    "more heartbeats",
    async () => (await heartbeatLines(heartbeat)).length > beats + 2 ? true : undefined,
  );

  // Started the way a service manager would: only the spec's environment, in its folder.
  assert.equal(started.cwd, spec.workingDirectory);
  assert.deepEqual(Object.keys(started.env).sort(), [...Object.keys(spec.env), "PATH"].sort());
  assert.equal(started.env.HOME, host.home);
  await waitFor(
    "the collector's stdout in its log",
    async () =>
      (await Deno.readTextFile(spec.logFile)).includes(`fake collector ${pid} listening`)
        ? true
        : undefined,
  );
  assert.equal((await Deno.stat(spec.logFile)).mode! & 0o777, 0o600);

  assert.equal((await serviceCli("stop", pidFile)).stdout, "stopped");
  assert.equal(await isCollectorAlive(pid, SERVICE_SYSTEM.processes), false);
  assert.equal(
    (await heartbeatLines(heartbeat)).at(-1),
    "stopped",
    "exited through its SIGTERM handler",
  );
  assert.equal(await Deno.stat(pidFile).catch(() => undefined), undefined, "pid file removed");
  assert.equal(
    await stopDetached(pidFile, SERVICE_SYSTEM),
    "not-running",
    "stopping again is harmless",
  );
});

Deno.test("a collector that ignores SIGTERM is killed after the timeout", async () => {
  await using host = await temporaryHost();
  const heartbeat = `${host.cwd}/heartbeat.txt`;
  const { pidFile } = collectorServicePaths("user", host);
  const { pid } = await startDetached(
    fakeCollectorSpec(host, heartbeat, ["--ignore-sigterm"]),
    pidFile,
    SERVICE_SYSTEM,
    { settleMs: 100 },
  );
  await waitUntilBeating(heartbeat);
  assert.equal(await stopDetached(pidFile, SERVICE_SYSTEM, { timeoutMs: 500 }), "killed");
  assert.equal(await isCollectorAlive(pid, SERVICE_SYSTEM.processes), false);
  assert.ok((await heartbeatLines(heartbeat)).includes("ignored SIGTERM"));
  assert.equal(await readPidFile(SERVICE_SYSTEM.files, pidFile), undefined);
});

Deno.test("a collector that exits at once is an error carrying the end of its log", async () => {
  await using host = await temporaryHost();
  const { pidFile } = collectorServicePaths("user", host);
  const spec = fakeCollectorSpec(host, `${host.cwd}/hb`, ["--fail"]);
  await Deno.mkdir(`${host.home}/.beacon/endpoint/logs`, { recursive: true });
  await Deno.writeTextFile(spec.logFile, "a line from an earlier run\n");
  await assert.rejects(
    startDetached(spec, pidFile, SERVICE_SYSTEM, {
      settleMs: 30_000, // returns as soon as the process exits
    }),
    (error: Error) => {
      assert.match(
        error.message,
        /^Cannot start the collector: it exited with code 3 right after starting/,
      );
      assert.match(
        error.message,
        /collector\.log:\n {2}Cannot load policy: fixture failure for tests$/,
      );
      return true;
    },
  );
  assert.equal(
    await readPidFile(SERVICE_SYSTEM.files, pidFile),
    undefined,
    "no pid file for a process that is gone",
  );
});

Deno.test("a second start is refused while the collector runs", async () => {
  await using host = await temporaryHost();
  const heartbeat = `${host.cwd}/heartbeat.txt`;
  const spec = fakeCollectorSpec(host, heartbeat);
  const { pidFile } = collectorServicePaths("user", host);
  const { pid } = await startDetached(spec, pidFile, SERVICE_SYSTEM, { settleMs: 100 });
  try {
    await waitUntilBeating(heartbeat);
    await assert.rejects(
      startDetached(spec, pidFile, SERVICE_SYSTEM),
      new RegExp(`Cannot start the collector: it is already running \\(pid ${pid}`),
    );
  } finally {
    await stopDetached(pidFile, SERVICE_SYSTEM);
  }
});

Deno.test("stale pid files: a dead pid or an unrelated process is not running and never signalled", async () => {
  await using host = await temporaryHost();
  const { pidFile } = collectorServicePaths("user", host);

  const dead = new Deno.Command("true").spawn();
  await dead.status;
  await writePidFile(SERVICE_SYSTEM.files, pidFile, dead.pid);
  assert.equal(await isCollectorAlive(dead.pid, SERVICE_SYSTEM.processes), false);
  assert.equal(await stopDetached(pidFile, SERVICE_SYSTEM), "not-running");
  assert.equal(
    await readPidFile(SERVICE_SYSTEM.files, pidFile),
    undefined,
    "stale pid file removed",
  );

  const unrelated = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    await writePidFile(SERVICE_SYSTEM.files, pidFile, unrelated.pid);
    assert.equal(
      await isCollectorAlive(unrelated.pid, SERVICE_SYSTEM.processes),
      false,
      "alive, but not a collector",
    );
    assert.equal(await stopDetached(pidFile, SERVICE_SYSTEM, { timeoutMs: 100 }), "not-running");
    // Sleeping, or briefly running on a loaded machine: neither stopped nor killed.
    assert.match(
      (await procStat(unrelated.pid)).state,
      /^[SR]$/,
      "the unrelated process was left alone",
    );
  } finally {
    unrelated.kill("SIGKILL");
    await unrelated.status;
  }
  assert.equal(
    await isCollectorAlive(Deno.pid, SERVICE_SYSTEM.processes),
    false,
    "this test runner is not a collector",
  );
});

Deno.test("pid file: only a plausible pid reads back; written 0600", async () => {
  await using host = await temporaryHost();
  const path = `${host.cwd}/state/collector.pid`;
  assert.equal(await readPidFile(SERVICE_SYSTEM.files, path), undefined, "missing");
  await writePidFile(SERVICE_SYSTEM.files, path, 4242);
  assert.equal(await Deno.readTextFile(path), "4242\n");
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  assert.equal((await Deno.stat(`${host.cwd}/state`)).mode! & 0o777, 0o700);
  assert.equal(await readPidFile(SERVICE_SYSTEM.files, path), 4242);
  for (const text of ["", "0\n", "1\n", "-5\n", "12abc\n", "1e3", "99999999999\n", "42 43\n"]) {
    await Deno.writeTextFile(path, text);
    assert.equal(await readPidFile(SERVICE_SYSTEM.files, path), undefined, JSON.stringify(text));
  }
  await assert.rejects(writePidFile(SERVICE_SYSTEM.files, path, 0), RangeError);
});

Deno.test("isCollectorAlive without /proc: the processes ask ps for the state and command line", async () => {
  const answers: Record<string, string> = {
    "101": "Ss   /usr/local/bin/beacon collector run --policy /etc/beacon/policy.toml\n",
    "102": "Z    (beacon)\n",
    "103": "S    /usr/bin/python3 -m http.server\n",
  };
  const ps = recordingRunner((line) => {
    const pid = line.split(" ").at(-1)!;
    return pid in answers ? { stdout: answers[pid] } : { code: 1 };
  });
  const processes = realProcesses({ os: "darwin", run: ps.run });
  const check = (pid: number) => isCollectorAlive(pid, processes);
  assert.deepEqual(
    [await check(101), await check(102), await check(103), await check(104)],
    [true, false, false, false],
  );
  assert.equal(ps.calls[0], "ps -o stat= -o command= -p 101");
  assert.equal(await check(1), false, "pid 1 is never ours");
});
