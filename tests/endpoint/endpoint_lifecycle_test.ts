/**
 * The endpoint lifecycle end to end, as shipped (the single-file build with the binary's
 * permissions), in a temporary HOME with the real Codex CLI on PATH: discover -> install (a
 * detached collector: no service manager in this container) -> a real `codex exec` -> status
 * healthy -> break things -> status names each problem -> repair -> healthy -> uninstall gives
 * the Codex config back byte for byte. Plus system mode under a temporary root, the runtime-log
 * source warning, and an install that fails half-way and leaves the machine as it was.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { runCli } from "../../lib/cli/run_cli.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import type { FileSystem } from "../../lib/reconcile/file_system.ts";
import { adminGroupId } from "../../lib/endpoint/admin_group_id.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";
import { reservePort } from "../support/reserve_port.ts";
import { waitUntil } from "../support/wait_until.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;

/** A temporary HOME and a policy on a reserved port; disposing `tmp` releases both. */
async function setUp(extraPolicy = "") {
  const home = await makeTempHome();
  const collectorPort = reservePort();
  const port = collectorPort.port;
  const tmp = {
    ...home,
    async [Symbol.asyncDispose]() {
      await home[Symbol.asyncDispose]();
      collectorPort.release();
    },
  };
  const policyPath = join(tmp.home, "team-policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n${extraPolicy}[collector]\nlisten = "127.0.0.1:${port}"\n`,
  );
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
  };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policyPath], { env });
  return { tmp, port, policyPath, env, beacon };
}

async function killCollector(pidFile: string): Promise<void> {
  const pid = Number((await Deno.readTextFile(pidFile)).trim());
  Deno.kill(pid, "SIGKILL");
  // Gone once a signal can no longer be sent to it.
  await waitUntil(`the killed collector (pid ${pid}) to be gone`, () => {
    try {
      Deno.kill(pid, "SIGCONT");
      return false;
    } catch {
      return true;
    }
  });
}

Deno.test("endpoint lifecycle: discover, install, codex, status, break, repair, uninstall", async () => {
  const { tmp, beacon } = await setUp();
  await using _home = tmp;
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "done" });
  try {
    const config = join(tmp.codexHome, "config.toml");
    await Deno.mkdir(tmp.codexHome, { recursive: true });
    const original = `# my codex\n${
      mockProviderToml(provider.baseUrl)
    }\n[tui]\nnotifications = true\n`;
    await Deno.writeTextFile(config, original);

    const discover = await beacon("endpoint", "discover", "--json");
    assert.equal(discover.code, 0, discover.stderr);
    const codex = JSON.parse(discover.stdout).harnesses.find((h: { name: string }) =>
      h.name === "codex"
    );
    assert.equal(codex.detected, true);
    assert.equal(codex.version, "0.169.0");

    const plan = await beacon("endpoint", "install", "--plan");
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stdout, /\+ otel\.exporter/);
    assert.match(plan.stdout, /endpoint configuration/);
    assert.match(plan.stdout, /start the collector as a background process/);
    assert.equal(await Deno.readTextFile(config), original, "--plan changes nothing");

    const install = await beacon("endpoint", "install");
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const logPath = join(tmp.home, ".beacon", "endpoint", "logs", "runtime.jsonl");
    assert.match(install.stdout, new RegExp(`Events are written to ${logPath}`));
    // What was done, in words (not the change's kind, e.g. "start" or "write-file").
    assert.match(install.stdout, /^ {2}collector service: start the collector as a background/m);
    assert.doesNotMatch(install.stdout, /collector service: (write-file|start)$/m);
    const again = await beacon("endpoint", "install", "--plan");
    assert.equal(again.code, 0, `a second install changes nothing:\n${again.stdout}`);

    const run = await runCodexExec({
      codexHome: tmp.codexHome,
      cwd: tmp.home,
      prompt: "run it",
      env: { HOME: tmp.home },
    });
    assert.equal(run.code, 0, run.stderr);
    const events = await readBeaconEvents(logPath);
    assert.ok(events.some((event) => event.kind === "command_run"), "codex's events arrive");

    const healthy = await beacon("endpoint", "status");
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.match(healthy.stdout, /Healthy\./);
    assert.match(healthy.stdout, /Codex CLI: configured as the policy wants/);
    assert.match(healthy.stdout, /last event: \d{4}-/);

    // Break three things.
    await killCollector(join(tmp.home, ".beacon", "endpoint", "collector.pid"));
    await Deno.writeTextFile(
      config,
      (await Deno.readTextFile(config)).replace('environment = "dev"', 'environment = "mine"'),
    );
    await Deno.remove(join(tmp.home, ".beacon", "endpoint", "logs"), { recursive: true });
    const broken = await beacon("endpoint", "status");
    assert.equal(broken.code, 3, broken.stdout);
    assert.match(broken.stdout, /the collector is not running/);
    assert.match(broken.stdout, /otel\.environment/);
    assert.match(broken.stdout, /does not exist/);

    // Beacon's own value, edited: drift that repair writes again, no --force needed.
    const repair = await beacon("endpoint", "repair");
    assert.equal(repair.code, 0, repair.stdout + repair.stderr);
    assert.match(
      repair.stdout,
      /otel\.environment += "mine" -> "dev" {2}# changed since Beacon wrote it/,
    );
    const fixed = await beacon("endpoint", "status");
    assert.equal(fixed.code, 0, fixed.stdout);

    const uninstall = await beacon("endpoint", "uninstall");
    assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
    assert.equal(await Deno.readTextFile(config), original, "the Codex config is byte-identical");
    const twice = await beacon("endpoint", "uninstall");
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(twice.stdout, /Nothing of Beacon's was left/);
    const down = await beacon("endpoint", "test-event");
    assert.equal(down.code, 1);
    assert.match(down.stderr, /Nothing answered/);
  } finally {
    await provider.close();
    await runBeacon(["endpoint", "uninstall"], {
      env: { ...tmp.env, BEACON_SERVICE_MANAGER: "detached" },
    })
      .catch(() => {});
  }
});

Deno.test("system mode under a temporary root, and the runtime-log source warning", async () => {
  const { tmp, beacon, env } = await setUp();
  await using _home = tmp;
  try {
    const install = await beacon("endpoint", "install", "--system", "--harness", "codex");
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const systemLog = join(env.BEACON_SYSTEM_ROOT, "var", "log", "beacon-agent", "runtime.jsonl");
    assert.match(install.stdout, new RegExp(`Events are written to ${systemLog}`));
    assert.ok(
      await Deno.stat(join(env.BEACON_SYSTEM_ROOT, "var", "lib", "beacon-agent", "endpoint.json")),
    );
    assert.equal((await Deno.stat(systemLog)).mode! & 0o777, 0o640, "readable by the admin group");
    const adminGid = await adminGroupId(realFileSystem);
    if (Deno.uid() === 0 && adminGid !== undefined) {
      assert.equal((await Deno.stat(systemLog)).gid, adminGid, "and that group is the admins'");
    }

    const systemStatus = await beacon("endpoint", "status", "--system");
    assert.equal(systemStatus.code, 0, systemStatus.stdout);

    // The per-user view while the system collector runs: say where events really go.
    const userStatus = await beacon("endpoint", "status");
    assert.equal(userStatus.code, 3);
    assert.match(userStatus.stdout, new RegExp(systemLog.replaceAll("/", "\\/")));
    assert.match(userStatus.stdout, /system collector/i);
  } finally {
    await beacon("endpoint", "uninstall", "--system");
  }
});

Deno.test("an install that fails half-way leaves the machine as it was", async () => {
  const { tmp, policyPath, port } = await setUp();
  await using _home = tmp;
  const config = join(tmp.codexHome, "config.toml");
  await Deno.mkdir(tmp.codexHome, { recursive: true });
  const original = `model = "o3"\r\n# keep me\r\n`;
  await Deno.writeTextFile(config, original);
  const failing: FileSystem = {
    ...realFileSystem,
    async writeFileAtomic(path, data, mode) {
      if (path.endsWith("collector-service.json")) {
        throw new Deno.errors.PermissionDenied(`injected failure writing ${path}`);
      }
      await realFileSystem.writeFileAtomic(path, data, mode);
    },
  };
  let output = "";
  const code = await runCli(["endpoint", "install", "--policy", policyPath], {
    host: {
      home: tmp.home,
      cwd: tmp.home,
      systemRoot: join(tmp.home, "root"),
      os: "linux",
      env: {
        HOME: tmp.home,
        PATH: `${TOOLS_BIN}:/usr/bin:/bin`,
        BEACON_SERVICE_MANAGER: "detached",
      },
      now: () => new Date(),
    },
    fs: failing,
    stdout: (text) => (output += text),
    stderr: (text) => (output += text),
  });
  assert.equal(code, 1, output);
  assert.match(output, /The install failed at "collector service": injected failure/);
  assert.equal(await Deno.readTextFile(config), original, "the Codex config is as it was");
  const beaconDir = join(tmp.home, ".beacon");
  const left = await Array.fromAsync(Deno.readDir(join(beaconDir, "endpoint"))).catch(() => []);
  assert.deepEqual(
    left.map((entry) => entry.name).filter((name) => name !== "apply.lock"),
    [],
    "no endpoint files are left",
  );
  const probe = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
  assert.equal(probe, false, "no collector was left running");
});
