/**
 * README, The endpoint: "If any step fails, every file is put back as it was and a service it
 * started is stopped; the error names the step." Two real failures, after the harness config,
 * the endpoint configuration and the service definition are written:
 * - at the final check, with the collector running: its runtime log sits on a full tmpfs, so
 *   the test event gets 503 (needs root and `mount`, as CI has; the test fails without them);
 * - at service start: the test holds the collector's address, so the collector exits at once.
 * Each time: exit 1 naming the step, the Codex config byte for byte, no endpoint file or folder
 * left (not even the lock file the install took), and no collector process left running.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;
const ORIGINAL = `model = "o3"\r\n# keep me\r\n`;

/** Pids of processes whose command line mentions `needle` (the policy's unique path). */
async function processesMentioning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
    const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    if (cmdline.includes(needle)) pids.push(Number(entry.name));
  }
  return pids;
}

/** Every path under `folder`, except Deno's own cache (the tests run Beacon with `deno run`). */
async function tree(folder: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (prefix === "" && entry.name === ".cache") continue;
      out.push(prefix + entry.name);
      if (entry.isDirectory) await walk(join(dir, entry.name), `${prefix}${entry.name}/`);
    }
  };
  await walk(folder, "");
  return out.sort();
}

async function setUp(port: number, runtimeLogPath?: string) {
  const tmp = await makeTempHome();
  const policyPath = join(tmp.home, "rollback-policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:${port}"\n` +
      (runtimeLogPath ? `[runtime_log]\npath = "${runtimeLogPath}"\n` : ""),
  );
  await Deno.mkdir(tmp.codexHome);
  await Deno.writeTextFile(join(tmp.codexHome, "config.toml"), ORIGINAL);
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
  };
  const before = await tree(tmp.home);
  const install = () => runBeacon(["endpoint", "install", "--policy", policyPath], { env });
  /** Everything is as it was: files, folders, no collector. */
  const assertAsBefore = async (step: string, output: string, options = { probe: true }) => {
    assert.equal(
      await Deno.readTextFile(join(tmp.codexHome, "config.toml")),
      ORIGINAL,
      `${step}: the Codex config is byte for byte as it was`,
    );
    // Not even the install's own lock file and the folders made for it.
    assert.deepEqual(await tree(tmp.home), before, `${step}: no file or folder is left\n${output}`);
    assert.deepEqual(
      await processesMentioning(policyPath),
      [],
      `${step}: no collector is left running\n${output}`,
    );
    if (!options.probe) return;
    const answer = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      async (response) => (await response.body?.cancel(), true),
      () => false,
    );
    assert.equal(answer, false, `${step}: nothing answers on the collector's address`);
  };
  return { tmp, policyPath, install, assertAsBefore };
}

Deno.test("an install that fails at the final check stops the collector it started and restores every file", async () => {
  assert.equal(Deno.uid(), 0, "this test mounts a tmpfs: it needs root (CI runs as root)");
  const mountPoint = await Deno.makeTempDir({ prefix: "beacon-full-tmpfs-" });
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", mountPoint],
  }).output();
  assert.ok(mounted.success, `mount -t tmpfs: ${new TextDecoder().decode(mounted.stderr)}`);
  try {
    // Fill it: the collector can create its log (an inode) but not write a line to it.
    const filler = await Deno.open(join(mountPoint, "filler"), { write: true, create: true });
    try {
      for (;;) await filler.write(new Uint8Array(4096));
    } catch (error) {
      assert.equal((error as { code?: string }).code, "ENOSPC");
    } finally {
      filler.close();
    }
    using collectorPort = reservePort();
    const port = collectorPort.port;
    const logPath = join(mountPoint, "logs", "runtime.jsonl");
    const machine = await setUp(port, logPath);
    await using _home = machine.tmp;
    const install = await machine.install();
    const output = install.stdout + install.stderr;
    assert.equal(install.code, 1, output);
    assert.match(install.stderr, /The install failed at "health check": .*runtime log/);
    assert.match(install.stderr, /the machine is as it was before the install/);
    await machine.assertAsBefore("final check", output);
    assert.deepEqual(await tree(mountPoint), ["filler"], "the log folder Beacon made is gone");
  } finally {
    await new Deno.Command("umount", { args: [mountPoint] }).output();
    await Deno.remove(mountPoint, { recursive: true });
  }
});

Deno.test("an install that fails at service start restores every file and leaves no collector", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (taken.addr as Deno.NetAddr).port;
    const machine = await setUp(port);
    await using _home = machine.tmp;
    const install = await machine.install();
    const output = install.stdout + install.stderr;
    assert.equal(install.code, 1, output);
    assert.match(install.stderr, /The install failed at "collector service": /);
    assert.match(install.stderr, /the machine is as it was before the install/);
    // The listener is the test's, so nothing may answer /healthz: check files and processes.
    await machine.assertAsBefore("service start", output, { probe: false });
  } finally {
    taken.close();
  }
});
