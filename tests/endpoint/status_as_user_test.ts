/**
 * A system endpoint (installed by root, as MDM does) checked by the person using the machine,
 * without sudo: `endpoint status --system`, its `--json` and `endpoint doctor --system` report
 * what that user can read (the collector's health, their own Codex config, where the log is)
 * and name the checks that need root (the collector's token, the install record, the runtime
 * log), with an exit code decided by the checks that ran; no token and no stack trace.
 *
 * The shipped bundle runs as root to install and as a uid/gid without a passwd entry (via
 * `setpriv`) to check; the test needs root, as CI runs it, and fails rather than passes without.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BINARY_PERMISSION_FLAGS, bundleBeacon, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";

const USER = { uid: 4242, gid: 4343 };
const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;

/** A machine with a user's home, a system root laid out as on a real one, and the bundle. */
async function machine() {
  if (Deno.uid() !== 0) {
    assert.fail(
      "This test needs root: it installs a system endpoint as root and checks it as another " +
        "user (CI runs as root). Run it with sudo.",
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "beacon-status-as-user-" });
  await Deno.chmod(dir, 0o755);
  const home = join(dir, "home");
  const denoDir = join(dir, "deno-dir");
  for (const path of [home, denoDir]) {
    await Deno.mkdir(path, { mode: 0o700 });
    await Deno.chown(path, USER.uid, USER.gid);
  }
  const systemRoot = join(dir, "root");
  // As on a real machine: /var/lib and /var/log are readable by everyone.
  for (const path of ["var/lib", "var/log"]) {
    await Deno.mkdir(join(systemRoot, path), { recursive: true, mode: 0o755 });
  }
  const bundle = join(dir, "beacon.js");
  await Deno.copyFile(await bundleBeacon(), bundle);
  await Deno.chmod(bundle, 0o644);
  const collectorPort = reservePort();
  const policy = join(dir, "policy.toml");
  await Deno.writeTextFile(
    policy,
    `version = 1\n[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n`,
  );
  await Deno.chmod(policy, 0o644);
  const env = {
    HOME: home,
    CODEX_HOME: join(home, ".codex"),
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: systemRoot,
  };
  const asRoot = (...args: string[]) => runBeacon([...args, "--policy", policy], { env });
  /** The bundle as the user, with the binary's permissions and nothing of root's. */
  const asUser = async (...args: string[]) => {
    const result = await new Deno.Command("setpriv", {
      args: [
        `--reuid=${USER.uid}`,
        `--regid=${USER.gid}`,
        "--clear-groups",
        Deno.execPath(),
        "run",
        "--quiet",
        "--no-prompt",
        ...BINARY_PERMISSION_FLAGS,
        bundle,
        ...args,
        "--policy",
        policy,
      ],
      cwd: home,
      env: { ...env, NO_COLOR: "1", DENO_DIR: denoDir },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: result.code,
      stdout: new TextDecoder().decode(result.stdout),
      stderr: new TextDecoder().decode(result.stderr),
    };
  };
  return {
    home,
    systemRoot,
    asRoot,
    asUser,
    async [Symbol.asyncDispose]() {
      await asRoot("endpoint", "uninstall", "--system").catch(() => {});
      collectorPort.release();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test({
  name: "endpoint status and doctor on a system endpoint, run by a user without sudo",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using m = await machine();
    const install = await m.asRoot("endpoint", "install", "--system", "--harness", "codex");
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const stateDir = join(m.systemRoot, "var", "lib", "beacon-agent");
    const token = (await Deno.readTextFile(join(stateDir, "collector.token"))).trim();
    const logPath = join(m.systemRoot, "var", "log", "beacon-agent", "runtime.jsonl");
    const said = (run: { stdout: string; stderr: string }) => run.stdout + run.stderr;
    const assertClean = (run: { stdout: string; stderr: string }) => {
      assert.ok(!said(run).includes(token), "the token is never printed");
      assert.doesNotMatch(said(run), / {4}at /, "no stack trace");
      assert.equal(run.stderr, "");
    };

    const status = await m.asUser("endpoint", "status", "--system");
    assertClean(status);
    assert.equal(status.code, 0, `healthy as far as checked:\n${said(status)}`);
    assert.match(status.stdout, /running: pid \d+, version [^,]+, system mode/);
    assert.match(status.stdout, /token: not checked/);
    assert.match(
      status.stdout,
      /Codex CLI: configured as the policy wants but for the token in otel\.exporter/,
    );
    assert.ok(
      status.stdout.includes(`${logPath}: not readable by this user; the collector reports`),
      status.stdout,
    );
    assert.match(status.stdout, /Healthy, as far as checked\./);
    assert.match(status.stdout, /Not checked without root \(run with sudo to check these\):/);
    assert.match(status.stdout, /- the collector accepts the endpoint's token: .*collector\.token/);
    assert.match(status.stdout, /- the runtime log .*runtime\.jsonl cannot be read by this user/);

    const json = await m.asUser("endpoint", "status", "--system", "--json");
    assertClean(json);
    assert.equal(json.code, 0, json.stdout);
    const report = JSON.parse(json.stdout);
    assert.equal(report.healthy, true);
    assert.deepEqual(report.problems, []);
    assert.equal(report.collector.tokenCheck, "skipped");
    assert.equal(typeof report.collector.health.pid, "number");
    assert.equal(report.runtimeLog, null);
    assert.ok(
      report.skipped.some((skip: { check: string; reason: string }) =>
        /token/.test(skip.check) && skip.reason.includes("collector.token")
      ),
      JSON.stringify(report.skipped),
    );

    const doctor = await m.asUser("endpoint", "doctor", "--system");
    assertClean(doctor);
    assert.equal(doctor.code, 0, doctor.stdout);
    assert.match(doctor.stdout, /^ok {3}collector answers: /m);
    assert.match(doctor.stdout, /^skip token matches: /m);
    assert.match(doctor.stdout, /^ok {3}codex: configured as the policy wants: no drift; /m);
    assert.match(doctor.stdout, /Not checked without root/);

    // Drift the user can see is still drift: their own value, changed.
    const config = join(m.home, ".codex", "config.toml");
    const text = await Deno.readTextFile(config);
    await Deno.writeTextFile(config, text.replace('environment = "dev"', 'environment = "mine"'));
    const drifted = await m.asUser("endpoint", "status", "--system");
    assertClean(drifted);
    assert.equal(drifted.code, 3, drifted.stdout);
    assert.match(drifted.stdout, /otel\.environment/);
    assert.doesNotMatch(drifted.stdout, /otel\.exporter +=/, "the token's setting is not drift");
    assert.match(drifted.stdout, /harness settings differ from the policy/);
    const doctorDrifted = await m.asUser("endpoint", "doctor", "--system");
    assert.equal(doctorDrifted.code, 3, doctorDrifted.stdout);
    assert.match(doctorDrifted.stdout, /^FAIL codex: configured as the policy wants/m);

    // Repairing does need root, and says so.
    const userRepair = await m.asUser("endpoint", "repair", "--system");
    assert.equal(userRepair.code, 1, said(userRepair));
    assert.match(userRepair.stderr, /^error: Cannot read the collector token .*with sudo/);

    // Root sees everything: the same endpoint, repaired, is plainly healthy.
    const repair = await m.asRoot("endpoint", "repair", "--system");
    assert.equal(repair.code, 0, said(repair));
    const rootStatus = await m.asRoot("endpoint", "status", "--system");
    assert.equal(rootStatus.code, 0, rootStatus.stdout);
    assert.match(rootStatus.stdout, /\nHealthy\.\n/);
    assert.doesNotMatch(rootStatus.stdout, /Not checked/);
  },
});
