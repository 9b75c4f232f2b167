import assert from "node:assert/strict";
import { createServiceController } from "../../lib/endpoint/service/create_service_controller.ts";
import { renderSystemdUnit } from "../../lib/endpoint/service/render_systemd_unit.ts";
import { serviceFilesOn } from "../../lib/endpoint/service/service_files.ts";
import type { CollectorServiceSpec } from "../../lib/endpoint/service/collector_service_spec.ts";
import type { Host } from "../../lib/host/host.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import { recordingProcesses, recordingRunner } from "../support/recording_system.ts";
import { temporaryHost } from "./support/fixtures.ts";

const UNIT = "beacon-collector.service";

/** A stand-in for systemctl that keeps the unit's state, so flows read like on a real machine. */
function fakeSystemctl(initial: { active?: boolean; enabled?: boolean; fail?: string } = {}) {
  const state = { active: false, enabled: false, pid: 4242, ...initial };
  const stub = recordingRunner((line) => {
    const words = line.split(" ").filter((word) => word !== "--user");
    const verb = words.slice(1).filter((word) => word !== UNIT).join(" ");
    if (initial.fail && line.endsWith(initial.fail)) {
      return { code: 1, stderr: "Failed to start beacon-collector.service: Unit is masked.\n" };
    }
    switch (verb) {
      case "show --property=ActiveState,SubState,UnitFileState,MainPID":
        return {
          stdout: `ActiveState=${state.active ? "active" : "inactive"}\n` +
            `SubState=${state.active ? "running" : "dead"}\n` +
            `UnitFileState=${state.enabled ? "enabled" : "disabled"}\n` +
            `MainPID=${state.active ? state.pid : 0}\n`,
        };
      case "enable --now":
        Object.assign(state, { active: true, enabled: true });
        return;
      case "enable":
        state.enabled = true;
        return;
      case "restart":
        Object.assign(state, { active: true, pid: state.pid + 1 });
        return;
      case "stop":
        state.active = false;
        return;
      case "disable --now":
        Object.assign(state, { active: false, enabled: false });
        return;
      case "daemon-reload":
      case "reset-failed":
        return;
      default:
        throw new Error(`unexpected systemctl call: ${line}`);
    }
  });
  return { ...stub, state };
}

function specFor(
  host: Host,
  mode: "user" | "system",
  policy = "policy.toml",
): CollectorServiceSpec {
  const base = mode === "user"
    ? `${host.home}/.beacon/endpoint`
    : `${host.systemRoot}/var/lib/beacon-agent`;
  return {
    mode,
    executable: "/usr/local/bin/beacon",
    args: ["collector", "run", "--policy", `${host.cwd}/${policy}`],
    env: { HOME: host.home },
    label: "dev.asymptote.beacon.collector",
    logFile: mode === "user"
      ? `${base}/logs/collector.log`
      : `${host.systemRoot}/var/log/beacon-agent/collector.log`,
    workingDirectory: base,
    writablePaths: mode === "system" ? [`${host.systemRoot}/var/log/beacon-agent`] : undefined,
  };
}

Deno.test("systemd --user: install writes the unit, reloads, enables and starts; repair then does nothing", async () => {
  await using host = await temporaryHost();
  const systemctl = fakeSystemctl();
  const controller = createServiceController("systemd-user", {
    mode: "user",
    host,
    run: systemctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  });
  const unitPath = `${host.home}/.config/systemd/user/${UNIT}`;
  assert.equal(controller.definitionPath, unitPath);
  const spec = specFor(host, "user");

  const planned = await controller.plan(spec);
  assert.deepEqual(planned, [
    {
      kind: "write-file",
      action: "create",
      path: unitPath,
      text: renderSystemdUnit(spec),
      mode: 0o644,
    },
    { kind: "start", manager: "systemd-user" },
  ]);
  assert.equal(await Deno.stat(unitPath).catch(() => undefined), undefined, "plan writes nothing");
  systemctl.calls.length = 0;

  assert.deepEqual(await controller.install(spec), planned);
  assert.deepEqual(systemctl.calls, [
    `systemctl --user show ${UNIT} --property=ActiveState,SubState,UnitFileState,MainPID`,
    "systemctl --user daemon-reload",
    `systemctl --user enable --now ${UNIT}`,
  ]);
  assert.equal(await Deno.readTextFile(unitPath), renderSystemdUnit(spec));
  assert.equal((await Deno.stat(unitPath)).mode! & 0o777, 0o644);
  assert.equal((await Deno.stat(`${host.home}/.beacon/endpoint/logs`)).mode! & 0o777, 0o700);

  systemctl.calls.length = 0;
  assert.deepEqual(
    await controller.install(spec),
    [],
    "repair of a healthy service changes nothing",
  );
  assert.deepEqual(systemctl.calls, [
    `systemctl --user show ${UNIT} --property=ActiveState,SubState,UnitFileState,MainPID`,
  ]);
  assert.deepEqual(await controller.status(), {
    installed: true,
    running: true,
    pid: 4242,
    detail: "systemd --user: active (running), enabled, pid 4242",
  });
});

Deno.test("systemd: a changed unit restarts the running collector; a stopped one is started", async () => {
  await using host = await temporaryHost();
  const systemctl = fakeSystemctl();
  const controller = createServiceController("systemd-user", {
    mode: "user",
    host,
    run: systemctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  });
  await controller.install(specFor(host, "user"));

  systemctl.calls.length = 0;
  const changed = specFor(host, "user", "other policy.toml");
  const changes = await controller.install(changed);
  assert.deepEqual(changes.map((change) => change.kind), ["write-file", "restart"]);
  assert.equal(changes[0].kind === "write-file" && changes[0].action, "update");
  assert.deepEqual(systemctl.calls.slice(1), [
    "systemctl --user daemon-reload",
    `systemctl --user enable ${UNIT}`,
    `systemctl --user restart ${UNIT}`,
  ]);

  await controller.stop();
  assert.equal(systemctl.calls.at(-1), `systemctl --user stop ${UNIT}`);
  assert.equal((await controller.status()).running, false);
  assert.equal((await controller.status()).detail, "systemd --user: inactive (dead), enabled");

  systemctl.calls.length = 0;
  assert.deepEqual(await controller.install(changed), [{ kind: "start", manager: "systemd-user" }]);
  assert.deepEqual(systemctl.calls.slice(1), [`systemctl --user enable --now ${UNIT}`]);
});

Deno.test("systemd: uninstall disables, stops, removes the unit and reloads; twice is harmless", async () => {
  await using host = await temporaryHost();
  const systemctl = fakeSystemctl();
  const controller = createServiceController("systemd-user", {
    mode: "user",
    host,
    run: systemctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  });
  await controller.install(specFor(host, "user"));
  assert.deepEqual(await controller.planUninstall(), [
    { kind: "stop", manager: "systemd-user" },
    { kind: "remove-file", path: controller.definitionPath },
  ]);

  systemctl.calls.length = 0;
  await controller.uninstall();
  assert.deepEqual(systemctl.calls.slice(1), [
    `systemctl --user disable --now ${UNIT}`,
    "systemctl --user daemon-reload",
    `systemctl --user reset-failed ${UNIT}`,
  ]);
  assert.equal(await Deno.stat(controller.definitionPath).catch(() => undefined), undefined);

  systemctl.calls.length = 0;
  assert.deepEqual(await controller.uninstall(), []);
  await controller.stop();
  assert.deepEqual(systemctl.calls, [], "nothing to do once the unit is gone");
  assert.deepEqual(await controller.status(), {
    installed: false,
    running: false,
    detail: "systemd --user: not installed",
  });
});

Deno.test("systemd system mode: no --user, unit under the system root, sandbox folders created", async () => {
  await using host = await temporaryHost();
  const systemctl = fakeSystemctl();
  const controller = createServiceController("systemd-system", {
    mode: "system",
    host,
    run: systemctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  });
  const spec = specFor(host, "system");
  await controller.install(spec);
  assert.equal(controller.definitionPath, `${host.systemRoot}/etc/systemd/system/${UNIT}`);
  assert.deepEqual(systemctl.calls, [
    `systemctl show ${UNIT} --property=ActiveState,SubState,UnitFileState,MainPID`,
    "systemctl daemon-reload",
    `systemctl enable --now ${UNIT}`,
  ]);
  for (const folder of ["var/log/beacon-agent", "var/lib/beacon-agent"]) {
    assert.equal((await Deno.stat(`${host.systemRoot}/${folder}`)).mode! & 0o777, 0o750, folder);
  }
  assert.match(await Deno.readTextFile(controller.definitionPath), /^ProtectSystem=strict$/m);
});

Deno.test("systemd: a failing systemctl is an error naming the command, its message and the journal", async () => {
  await using host = await temporaryHost();
  const controller = createServiceController("systemd-user", {
    mode: "user",
    host,
    run: fakeSystemctl({ fail: `enable --now ${UNIT}` }).run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  });
  await assert.rejects(controller.install(specFor(host, "user")), {
    message:
      "Cannot start the collector: `systemctl --user enable --now beacon-collector.service` " +
      "failed (exit 1): Failed to start beacon-collector.service: Unit is masked. See " +
      "`journalctl --user -u beacon-collector.service`.",
  });
});

Deno.test("a manager is refused for the other mode", async () => {
  await using host = await temporaryHost();
  const options = {
    host,
    run: recordingRunner().run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  };
  assert.throws(
    () => createServiceController("systemd-system", { ...options, mode: "user" }),
    /Cannot drive the user-mode collector with systemd-system/,
  );
  const controller = createServiceController("systemd-user", { ...options, mode: "user" });
  await assert.rejects(controller.plan(specFor(host, "system")), /system-mode collector/);
});
