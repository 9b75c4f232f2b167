import assert from "node:assert/strict";
import { createServiceController } from "../../lib/endpoint/service/create_service_controller.ts";
import { renderLaunchdPlist } from "../../lib/endpoint/service/render_launchd_plist.ts";
import { serviceFilesOn } from "../../lib/endpoint/service/service_files.ts";
import type { CollectorServiceSpec } from "../../lib/endpoint/service/collector_service_spec.ts";
import type { Host } from "../../lib/host/host.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import { recordingProcesses, recordingRunner } from "../support/recording_system.ts";
import { temporaryHost } from "./support/fixtures.ts";

const LABEL = "dev.asymptote.beacon.collector";

/** A stand-in for launchctl that keeps the job's state. */
function fakeLaunchctl(initial: { loaded?: boolean; running?: boolean; stuck?: boolean } = {}) {
  const state = { loaded: false, running: false, pid: 4242, ...initial };
  const stub = recordingRunner((line) => {
    const [, verb] = line.split(" ");
    switch (verb) {
      case "print":
        if (!state.loaded) {
          return { code: 113, stderr: `Could not find service "${LABEL}" in domain for port\n` };
        }
        return {
          stdout: `${line.split(" ")[2]} = {\n\tactive count = 1\n\ttype = LaunchAgent\n` +
            `\tstate = ${
              state.running ? "running" : "not running"
            }\n\n\tprogram = /usr/local/bin/beacon\n` +
            `\targuments = {\n\t\tpid = 1\n\t}\n` +
            (state.running ? `\tpid = ${state.pid}\n` : "") +
            `\tlast exit code = ${state.running ? "(never exited)" : "1"}\n}\n`,
        };
      case "enable":
        return;
      case "bootstrap":
        Object.assign(state, { loaded: true, running: true });
        return;
      case "bootout":
        if (!state.stuck) Object.assign(state, { loaded: false, running: false });
        return;
      case "kickstart":
        Object.assign(state, { running: true, pid: state.pid + 1 });
        return;
      default:
        throw new Error(`unexpected launchctl call: ${line}`);
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
    label: LABEL,
    logFile: `${base}/logs/collector.log`,
    workingDirectory: base,
  };
}

Deno.test("launchd agent: install writes the plist, enables and bootstraps it in gui/<uid>", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const launchctl = fakeLaunchctl();
  const controller = createServiceController("launchd-agent", {
    mode: "user",
    host,
    run: launchctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses({ uid: 501 }),
  });
  const plistPath = `${host.home}/Library/LaunchAgents/${LABEL}.plist`;
  assert.equal(controller.definitionPath, plistPath);
  const spec = specFor(host, "user");
  assert.deepEqual(await controller.install(spec), [
    {
      kind: "write-file",
      action: "create",
      path: plistPath,
      text: renderLaunchdPlist(spec),
      mode: 0o644,
    },
    { kind: "start", manager: "launchd-agent" },
  ]);
  assert.deepEqual(launchctl.calls, [
    `launchctl print gui/501/${LABEL}`,
    `launchctl enable gui/501/${LABEL}`,
    `launchctl bootstrap gui/501 ${plistPath}`,
  ]);
  assert.equal(await Deno.readTextFile(plistPath), renderLaunchdPlist(spec));
  assert.equal((await Deno.stat(plistPath)).mode! & 0o777, 0o644);

  launchctl.calls.length = 0;
  assert.deepEqual(await controller.install(spec), [], "repair of a running job changes nothing");
  assert.deepEqual(launchctl.calls, [`launchctl print gui/501/${LABEL}`]);
  assert.deepEqual(await controller.status(), {
    installed: true,
    running: true,
    pid: 4242,
    detail: "launchd agent: running, pid 4242",
  });
});

Deno.test("launchd: a changed plist is reloaded (bootout, wait, bootstrap); a stopped job is kickstarted", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const launchctl = fakeLaunchctl();
  const controller = createServiceController("launchd-agent", {
    mode: "user",
    host,
    run: launchctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses({ uid: 501 }),
  });
  await controller.install(specFor(host, "user"));

  launchctl.calls.length = 0;
  const changes = await controller.install(specFor(host, "user", "other.toml"));
  assert.deepEqual(changes.map((change) => change.kind), ["write-file", "restart"]);
  assert.deepEqual(launchctl.calls, [
    `launchctl print gui/501/${LABEL}`,
    `launchctl bootout gui/501/${LABEL}`,
    `launchctl print gui/501/${LABEL}`,
    `launchctl enable gui/501/${LABEL}`,
    `launchctl bootstrap gui/501 ${controller.definitionPath}`,
  ]);

  launchctl.state.running = false; // crashed, and launchd gave up for now
  assert.equal(
    (await controller.status()).detail,
    "launchd agent: loaded, not running (last exit code = 1)",
  );
  launchctl.calls.length = 0;
  assert.deepEqual(await controller.install(specFor(host, "user", "other.toml")), [
    { kind: "start", manager: "launchd-agent" },
  ]);
  assert.deepEqual(launchctl.calls, [
    `launchctl print gui/501/${LABEL}`,
    `launchctl kickstart gui/501/${LABEL}`,
  ]);
});

Deno.test("launchd: stop boots the job out; uninstall also removes the plist; both harmless when gone", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const launchctl = fakeLaunchctl();
  const controller = createServiceController("launchd-agent", {
    mode: "user",
    host,
    run: launchctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses({ uid: 501 }),
  });
  await controller.install(specFor(host, "user"));
  launchctl.calls.length = 0;
  await controller.stop();
  assert.deepEqual(launchctl.calls, [
    `launchctl print gui/501/${LABEL}`,
    `launchctl bootout gui/501/${LABEL}`,
  ]);
  assert.equal((await controller.status()).detail, "launchd agent: installed, not loaded");

  await controller.install(specFor(host, "user"));
  launchctl.calls.length = 0;
  assert.deepEqual(await controller.uninstall(), [
    { kind: "stop", manager: "launchd-agent" },
    { kind: "remove-file", path: controller.definitionPath },
  ]);
  assert.deepEqual(launchctl.calls, [
    `launchctl print gui/501/${LABEL}`,
    `launchctl bootout gui/501/${LABEL}`,
  ]);
  assert.equal(await Deno.stat(controller.definitionPath).catch(() => undefined), undefined);

  launchctl.calls.length = 0;
  assert.deepEqual(await controller.uninstall(), []);
  await controller.stop();
  assert.deepEqual(launchctl.calls, [
    `launchctl print gui/501/${LABEL}`,
    `launchctl print gui/501/${LABEL}`,
  ]);
  assert.deepEqual(await controller.status(), {
    installed: false,
    running: false,
    detail: "launchd agent: not installed",
  });
});

Deno.test("launchd daemon: the system domain and /Library/LaunchDaemons under the system root", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const launchctl = fakeLaunchctl();
  const controller = createServiceController("launchd-daemon", {
    mode: "system",
    host,
    run: launchctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses(),
  });
  const plistPath = `${host.systemRoot}/Library/LaunchDaemons/${LABEL}.plist`;
  await controller.install(specFor(host, "system"));
  assert.deepEqual(launchctl.calls, [
    `launchctl print system/${LABEL}`,
    `launchctl enable system/${LABEL}`,
    `launchctl bootstrap system ${plistPath}`,
  ]);
  assert.equal((await Deno.stat(`${host.systemRoot}/Library/LaunchDaemons`)).mode! & 0o777, 0o755);
});

Deno.test("launchd: a job that stays loaded after bootout, and a foreign label, are errors", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const launchctl = fakeLaunchctl({ loaded: true, running: true, stuck: true });
  const controller = createServiceController("launchd-agent", {
    mode: "user",
    host,
    run: launchctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses({ uid: 501 }),
    bootoutTimeoutMs: 250,
  });
  await assert.rejects(
    controller.install(specFor(host, "user")),
    /Cannot reload the collector: gui\/501\/dev\.asymptote\.beacon\.collector is still loaded after bootout/,
  );
  await assert.rejects(
    controller.plan({ ...specFor(host, "user"), label: "com.example.other" }),
    /Cannot install the collector as "com.example.other"/,
  );
});

Deno.test("launchd: a failing launchctl is an error naming the command and its message", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const launchctl = recordingRunner((line) =>
    line.includes(" print ")
      ? { code: 113 }
      : line.includes(" bootstrap ")
      ? { code: 5, stderr: "Bootstrap failed: 5: Input/output error\n" }
      : undefined
  );
  const controller = createServiceController("launchd-agent", {
    mode: "user",
    host,
    run: launchctl.run,
    files: serviceFilesOn(realFileSystem),
    processes: recordingProcesses({ uid: 501 }),
  });
  await assert.rejects(controller.install(specFor(host, "user")), {
    message:
      `Cannot load the collector: \`launchctl bootstrap gui/501 ${controller.definitionPath}\` ` +
      "failed (exit 5): Bootstrap failed: 5: Input/output error.",
  });
});
