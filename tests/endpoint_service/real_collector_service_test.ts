/**
 * The real `beacon collector run` (the single-file build, through `deno run` with Beacon's
 * permissions, as `currentBeaconProgram` describes it) kept running by the detached controller:
 * what `beacon endpoint install` does in a container.
 */
import assert from "node:assert/strict";
import { bundleBeacon } from "../support/beacon_bundle.ts";
import { codexLogsBody } from "../support/codex_payloads.ts";
import {
  buildCollectorServiceSpec,
  currentBeaconProgram,
} from "../../lib/endpoint/service/build_collector_service_spec.ts";
import { createServiceController } from "../../lib/endpoint/service/create_service_controller.ts";
import { isCollectorAlive } from "../../lib/endpoint/service/is_collector_alive.ts";
import { runCommand } from "../../lib/host/run_command.ts";
import { serviceFilesOn } from "../../lib/endpoint/service/service_files.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import { temporaryHost } from "./support/fixtures.ts";
import { waitFor } from "./support/fake_collector_spec.ts";
import { SERVICE_SYSTEM } from "../support/recording_system.ts";

async function setUp(policyText: (logPath: string) => string, settleMs: number) {
  const denoDir = Deno.env.get("DENO_DIR");
  const host = await temporaryHost({ env: denoDir ? { DENO_DIR: denoDir } : {} });
  const runtimeLogPath = `${host.home}/.beacon/endpoint/logs/runtime.jsonl`;
  const policyPath = `${host.cwd}/policy.toml`;
  await Deno.writeTextFile(policyPath, policyText(runtimeLogPath));
  const program = currentBeaconProgram({
    execPath: Deno.execPath(),
    mainModule: `file://${await bundleBeacon()}`,
    standalone: false,
  });
  const spec = buildCollectorServiceSpec({
    mode: "user",
    host,
    program,
    policyPath,
    runtimeLogPath,
  });
  const controller = createServiceController("detached", {
    mode: "user",
    host,
    run: runCommand,
    files: serviceFilesOn(realFileSystem),
    processes: SERVICE_SYSTEM.processes,
    settleMs,
  });
  return { host, spec, controller, runtimeLogPath };
}

Deno.test("the real collector runs detached, receives OTLP, and stops cleanly on uninstall", async () => {
  // A short settle: the collector only has to stay up.
  const { host, spec, controller, runtimeLogPath } = await setUp(
    (logPath) =>
      `version = 1\n[collector]\nlisten = "127.0.0.1:0"\n[runtime_log]\npath = "${logPath}"\n`,
    200,
  );
  await using _ = host;
  try {
    await controller.install(spec);
    const url = await waitFor("the collector to listen", async () => {
      const log = await Deno.readTextFile(spec.logFile).catch(() => "");
      return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
    }, 60_000);
    const status = await controller.status();
    assert.equal(status.running, true, status.detail);
    assert.equal(await isCollectorAlive(status.pid!, SERVICE_SYSTEM.processes), true);

    const response = await fetch(`${url}/v1/logs`, {
      method: "POST",
      body: new Uint8Array(codexLogsBody("service-session")),
      headers: { "content-type": "application/x-protobuf" },
    });
    assert.equal(response.status, 200);
    await response.body?.cancel();
    assert.match(await Deno.readTextFile(runtimeLogPath), /service-session/);

    await controller.uninstall();
    assert.equal((await controller.status()).running, false);
    assert.match(
      await Deno.readTextFile(spec.logFile),
      /SIGTERM: finishing in-flight requests\nstopped; \d+ events written since start\n$/,
    );
  } finally {
    await controller.stop();
  }
});

Deno.test("a collector that cannot start (bad policy) fails the install with its own message", async () => {
  // A long settle: install waits for the exit however slow the machine (it returns at the exit).
  const { host, spec, controller } = await setUp(
    () => `version = 1\n[collector]\nlisten = 4318\n`,
    30_000,
  );
  await using _ = host;
  await assert.rejects(controller.install(spec), (error: Error) => {
    assert.match(
      error.message,
      /^Cannot start the collector: it exited with code \d+ right after starting/,
    );
    assert.match(error.message, /policy\.toml/, "the collector's own error is shown");
    return true;
  });
  assert.equal((await controller.status()).running, false);
});
