import assert from "node:assert/strict";
import { detectServiceManager } from "../../lib/endpoint/service/detect_service_manager.ts";
import { runCommand } from "../../lib/host/run_command.ts";
import { recordingRunner } from "../support/recording_system.ts";
import { temporaryHost } from "./support/fixtures.ts";
import type { FileSystem } from "../../lib/reconcile/file_system.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";

/** A file system where only `/run/systemd/system` exists (a folder), or nothing does. */
function folders(...paths: string[]): FileSystem {
  return {
    ...realFileSystem,
    lstat: (path) =>
      Promise.resolve(
        paths.includes(path) ? { isFile: false, isSymlink: false, mode: 0o755 } : undefined,
      ),
  };
}
const withSystemd = folders("/run/systemd/system");
const withoutSystemd = folders();

Deno.test("BEACON_SERVICE_MANAGER forces the choice, without probing", async () => {
  const stub = recordingRunner();
  for (
    const [value, user, system] of [
      ["detached", "detached", "detached"],
      ["systemd", "systemd-user", "systemd-system"],
      ["launchd", "launchd-agent", "launchd-daemon"],
    ]
  ) {
    await using host = await temporaryHost({ env: { BEACON_SERVICE_MANAGER: value } });
    assert.equal(
      await detectServiceManager("user", { host, run: stub.run, fs: withSystemd }),
      user,
    );
    assert.equal(
      await detectServiceManager("system", { host, run: stub.run, fs: withSystemd }),
      system,
    );
  }
  assert.deepEqual(stub.calls, []);
});

Deno.test("an unknown BEACON_SERVICE_MANAGER is an error that lists the choices", async () => {
  await using host = await temporaryHost({ env: { BEACON_SERVICE_MANAGER: "upstart" } });
  await assert.rejects(
    detectServiceManager("user", { host, run: recordingRunner().run, fs: withSystemd }),
    /BEACON_SERVICE_MANAGER="upstart": expected detached, systemd or launchd/,
  );
});

Deno.test("macOS: a launchd agent in user mode, a daemon in system mode", async () => {
  await using host = await temporaryHost({ os: "darwin" });
  const stub = recordingRunner();
  assert.equal(
    await detectServiceManager("user", { host, run: stub.run, fs: withoutSystemd }),
    "launchd-agent",
  );
  assert.equal(
    await detectServiceManager("system", { host, run: stub.run, fs: withoutSystemd }),
    "launchd-daemon",
  );
  assert.deepEqual(stub.calls, []);
});

Deno.test("Linux without systemd as init (containers): detached, without asking systemctl", async () => {
  await using host = await temporaryHost();
  const stub = recordingRunner(() => ({ stdout: "running\n" }));
  assert.equal(
    await detectServiceManager("user", { host, run: stub.run, fs: withoutSystemd }),
    "detached",
  );
  assert.equal(
    await detectServiceManager("system", { host, run: stub.run, fs: withoutSystemd }),
    "detached",
  );
  assert.deepEqual(stub.calls, []);
});

Deno.test("Linux with systemd: usable when is-system-running answers a live state", async () => {
  await using host = await temporaryHost();
  for (
    const [state, code, expected] of [
      ["running", 0, "systemd-user"],
      ["degraded", 1, "systemd-user"],
      ["starting", 1, "systemd-user"],
      ["offline", 1, "detached"],
      ["", 1, "detached"], // "Failed to connect to bus" on stderr: no user session
    ] as const
  ) {
    const stub = recordingRunner(() => ({ code, stdout: state ? `${state}\n` : "" }));
    assert.equal(
      await detectServiceManager("user", { host, run: stub.run, fs: withSystemd }),
      expected,
      state,
    );
    assert.deepEqual(stub.calls, ["systemctl --user is-system-running"]);
  }
  const stub = recordingRunner(() => ({ code: 1, stdout: "degraded\n" }));
  assert.equal(
    await detectServiceManager("system", { host, run: stub.run, fs: withSystemd }),
    "systemd-system",
  );
  assert.deepEqual(stub.calls, ["systemctl is-system-running"]);
});

Deno.test("other systems: detached", async () => {
  await using host = await temporaryHost({ os: "windows" });
  assert.equal(
    await detectServiceManager("user", { host, run: recordingRunner().run, fs: withSystemd }),
    "detached",
  );
});

Deno.test("this container has no running systemd: the real probe says detached", async () => {
  await using host = await temporaryHost();
  const running = await Deno.stat("/run/systemd/system").then(() => true, () => false);
  const expected = running ? undefined : "detached";
  const found = await detectServiceManager("user", { host, run: runCommand, fs: realFileSystem });
  if (expected) assert.equal(found, expected);
  else assert.ok(["systemd-user", "detached"].includes(found));
});

Deno.test("runCommand: output collected; a missing program is exit 127, not an exception", async () => {
  assert.deepEqual(await runCommand("sh", ["-c", "echo out; echo err >&2; exit 3"]), {
    code: 3,
    stdout: "out\n",
    stderr: "err\n",
  });
  const missing = await runCommand("beacon-no-such-program", []);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /beacon-no-such-program: command not found/);
});
