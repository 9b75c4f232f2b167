import assert from "node:assert/strict";
import { createServiceController } from "../../lib/endpoint/service/create_service_controller.ts";
import { collectorServicePaths } from "../../lib/endpoint/service/collector_service_paths.ts";
import { describeServiceChange } from "../../lib/endpoint/service/describe_service_change.ts";
import { isCollectorAlive } from "../../lib/endpoint/service/is_collector_alive.ts";
import { readPidFile, writePidFile } from "../../lib/endpoint/service/pid_file.ts";
import { renderDetachedRecord } from "../../lib/endpoint/service/render_detached_record.ts";
import { serviceFilesOn } from "../../lib/endpoint/service/service_files.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import {
  recordingProcesses,
  recordingRunner,
  SERVICE_SYSTEM,
} from "../support/recording_system.ts";
import { temporaryHost } from "./support/fixtures.ts";
import {
  fakeCollectorSpec,
  heartbeatLines,
  waitUntilBeating,
} from "./support/fake_collector_spec.ts";

Deno.test("detached controller: install starts it, repair leaves it, a new spec restarts it, uninstall stops it", async () => {
  await using host = await temporaryHost({ env: { BEACON_SERVICE_MANAGER: "detached" } });
  const runner = recordingRunner();
  const controller = createServiceController("detached", {
    mode: "user",
    host,
    run: runner.run,
    files: serviceFilesOn(realFileSystem),
    processes: SERVICE_SYSTEM.processes,
    settleMs: 100,
    stopTimeoutMs: 10_000,
  });
  const paths = collectorServicePaths("user", host);
  assert.equal(controller.definitionPath, `${host.home}/.beacon/endpoint/collector-service.json`);
  const heartbeat = `${host.cwd}/heartbeat.txt`;
  const spec = fakeCollectorSpec(host, heartbeat);

  assert.deepEqual(await controller.status(), {
    installed: false,
    running: false,
    detail: "background process: not installed",
  });
  const planned = await controller.plan(spec);
  assert.deepEqual(planned.map((change) => describeServiceChange(change, host)), [
    "write ~/.beacon/endpoint/collector-service.json",
    "start the collector as a background process (no service manager here: containers/CI); " +
    "pid file ~/.beacon/endpoint/collector.pid",
  ]);

  try {
    assert.deepEqual(await controller.install(spec), planned);
    const first = await waitUntilBeating(heartbeat);
    assert.equal(await Deno.readTextFile(controller.definitionPath), renderDetachedRecord(spec));
    assert.equal((await Deno.stat(controller.definitionPath)).mode! & 0o777, 0o600);
    assert.equal(await readPidFile(SERVICE_SYSTEM.files, paths.pidFile), first.pid);
    assert.deepEqual(await controller.status(), {
      installed: true,
      running: true,
      pid: first.pid,
      detail: `background process: running, pid ${first.pid}`,
    });

    assert.deepEqual(
      await controller.install(spec),
      [],
      "repair of a running collector changes nothing",
    );
    assert.equal(await readPidFile(SERVICE_SYSTEM.files, paths.pidFile), first.pid);

    const changed = fakeCollectorSpec(host, heartbeat, ["--policy", "other.toml"]);
    assert.deepEqual((await controller.install(changed)).map((change) => change.kind), [
      "write-file",
      "restart",
    ]);
    const second = await waitUntilBeating(heartbeat);
    assert.notEqual(second.pid, first.pid);
    assert.equal(
      await isCollectorAlive(first.pid, SERVICE_SYSTEM.processes),
      false,
      "the old collector was stopped",
    );
    assert.ok((await heartbeatLines(heartbeat)).includes("stopped"));

    await controller.stop();
    assert.equal(await isCollectorAlive(second.pid, SERVICE_SYSTEM.processes), false);
    assert.deepEqual(await controller.status(), {
      installed: true,
      running: false,
      detail: "background process: not running",
    });
    await controller.stop(); // harmless

    assert.deepEqual(await controller.install(changed), [
      { kind: "start", manager: "detached", pidFile: paths.pidFile },
    ], "repair starts a stopped collector");
    const third = await waitUntilBeating(heartbeat);
    assert.deepEqual(await controller.planUninstall(), [
      { kind: "stop", manager: "detached", pidFile: paths.pidFile },
      { kind: "remove-file", path: controller.definitionPath },
    ]);
    await controller.uninstall();
    assert.equal(await isCollectorAlive(third.pid, SERVICE_SYSTEM.processes), false);
    assert.equal(await Deno.stat(controller.definitionPath).catch(() => undefined), undefined);
    assert.equal(await readPidFile(SERVICE_SYSTEM.files, paths.pidFile), undefined);
    assert.deepEqual(await controller.uninstall(), [], "uninstalling twice is harmless");
  } finally {
    await controller.stop();
  }
  assert.deepEqual(runner.calls, [], "no service manager was asked anything");
});

Deno.test("detached status: a stale pid file is reported, not trusted", async () => {
  await using host = await temporaryHost();
  const controller = createServiceController("detached", {
    mode: "user",
    host,
    run: recordingRunner().run,
    files: serviceFilesOn(realFileSystem),
    processes: SERVICE_SYSTEM.processes,
  });
  const { pidFile } = collectorServicePaths("user", host);
  const dead = new Deno.Command("true").spawn();
  await dead.status;
  await writePidFile(SERVICE_SYSTEM.files, pidFile, dead.pid);
  assert.deepEqual(await controller.status(), {
    installed: false,
    running: false,
    detail: `background process: not running (stale pid file: pid ${dead.pid} is not a collector)`,
  });
  assert.deepEqual(await controller.planUninstall(), []);
  await controller.uninstall();
  assert.equal(
    await readPidFile(SERVICE_SYSTEM.files, pidFile),
    undefined,
    "uninstall clears the stale pid file",
  );
});

Deno.test("detached system mode keeps its pid file and record in the system state folder", async () => {
  await using host = await temporaryHost();
  const controller = createServiceController("detached", {
    mode: "system",
    host,
    run: recordingRunner().run,
    files: serviceFilesOn(realFileSystem),
    processes: SERVICE_SYSTEM.processes,
  });
  assert.equal(
    controller.definitionPath,
    `${host.systemRoot}/var/lib/beacon-agent/collector-service.json`,
  );
  assert.deepEqual(collectorServicePaths("system", host), {
    logFile: `${host.systemRoot}/var/log/beacon-agent/collector.log`,
    stateDir: `${host.systemRoot}/var/lib/beacon-agent`,
    pidFile: `${host.systemRoot}/var/lib/beacon-agent/collector.pid`,
    detachedRecordFile: `${host.systemRoot}/var/lib/beacon-agent/collector-service.json`,
  });
  await assert.rejects(
    controller.plan(fakeCollectorSpec(host, `${host.cwd}/hb`)),
    /Cannot install a user-mode collector in system mode/,
  );
});

Deno.test("detached controller reaches processes only through the System: start, status and stop on a recording fake", async () => {
  await using host = await temporaryHost();
  const processes = recordingProcesses();
  const controller = createServiceController("detached", {
    mode: "user",
    host,
    run: recordingRunner().run,
    files: serviceFilesOn(realFileSystem),
    processes,
    settleMs: 10,
  });
  const paths = collectorServicePaths("user", host);
  const spec = fakeCollectorSpec(host, `${host.cwd}/hb`);
  await controller.install(spec);
  assert.deepEqual(processes.calls, [
    `start ${[spec.executable, ...spec.args].join(" ")} > ${spec.logFile}`,
  ]);
  assert.equal(
    await readPidFile(SERVICE_SYSTEM.files, paths.pidFile),
    4200,
    "the fake's pid is recorded",
  );
  assert.equal((await controller.status()).detail, "background process: running, pid 4200");

  await controller.uninstall();
  assert.deepEqual(processes.calls.slice(1), ["signal 4200 SIGTERM"], "only its own pid");
  assert.equal((await controller.status()).detail, "background process: not installed");
});
