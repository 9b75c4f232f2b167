/**
 * Every expected failure, as shipped (the single-file build with the binary's permissions): a
 * message that says what failed, where and what to do, the exit code the README documents (1 for
 * an error, 2 for a usage error), and never a stack trace (`    at ...` frames) on any stream.
 * Issue 7, item 6.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type BeaconRun,
  BINARY_PERMISSION_FLAGS,
  bundleBeacon,
  makeTempHome,
  runBeacon,
} from "./support/beacon_bundle.ts";
import { reservePort } from "./support/reserve_port.ts";

const STACK_FRAME = /^\s+at /m;
/** Exit codes from the README's "Exit codes". */
const ERROR = 1;
const USAGE = 2;

function assertCleanFailure(run: BeaconRun, code: number, message: RegExp, label: string): void {
  const output = `${label}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  assert.equal(run.code, code, `exit code: ${output}`);
  assert.doesNotMatch(run.stdout, STACK_FRAME, `no stack trace on stdout: ${output}`);
  assert.doesNotMatch(run.stderr, STACK_FRAME, `no stack trace on stderr: ${output}`);
  assert.match(run.stderr, /^error: /m, `an error line: ${output}`);
  assert.match(run.stderr, message, output);
  assert.doesNotMatch(run.stderr, /BEACON_DEBUG|unexpected/, `not taken for a bug: ${output}`);
}

async function writePolicy(folder: string, body: string): Promise<string> {
  const path = join(folder, "policy.toml");
  await Deno.writeTextFile(path, `version = 1\n${body}`);
  return path;
}

Deno.test("collector run on an address in use: one line naming it, exit 1", async () => {
  await using tmp = await makeTempHome();
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  const policy = await writePolicy(tmp.home, `[collector]\nlisten = "127.0.0.1:${port}"\n`);
  const run = await runBeacon(["collector", "run", "--policy", policy], tmp);
  assertCleanFailure(
    run,
    ERROR,
    new RegExp(`^error: Cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use\\. .*\n$`),
    "address in use",
  );
});

Deno.test("collector run with a runtime log it cannot write: names the log, exit 1", async () => {
  await using tmp = await makeTempHome();
  using collectorPort = reservePort();
  const listen = `[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n`;

  // A file where the log's folder should be.
  await Deno.writeTextFile(join(tmp.home, "a-file"), "");
  const underFile = await writePolicy(
    tmp.home,
    `${listen}[runtime_log]\npath = "${tmp.home}/a-file/logs/runtime.jsonl"\n`,
  );
  const underFileRun = await runBeacon(["collector", "run", "--policy", underFile], tmp);
  assertCleanFailure(
    underFileRun,
    ERROR,
    /^error: Cannot write runtime log ".*\/a-file\/logs\/runtime\.jsonl"/,
    "log folder is a file",
  );
  // At start nothing retries: the message says the collector did not start.
  assert.match(underFileRun.stderr, /The collector did not start\./);
  assert.doesNotMatch(underFileRun.stderr, /next event retries/);

  // A folder anyone may write to: refused.
  const loose = join(tmp.home, "loose");
  await Deno.mkdir(loose);
  await Deno.chmod(loose, 0o777);
  const loosePolicy = await writePolicy(
    tmp.home,
    `${listen}[runtime_log]\npath = "${loose}/runtime.jsonl"\n`,
  );
  assertCleanFailure(
    await runBeacon(["collector", "run", "--policy", loosePolicy], tmp),
    ERROR,
    /^error: Cannot write runtime log ".*\/loose\/runtime\.jsonl"/,
    "log folder writable by others",
  );
});

Deno.test("collector run as a user whose log folder is read-only: permission denied, exit 1", async () => {
  // The folder's owner may not write to it (0500). Root may write anywhere, so as root (as CI
  // runs) Beacon runs as an unprivileged uid that owns the folder.
  const dir = await Deno.makeTempDir({ prefix: "beacon-readonly-log-" });
  using collectorPort = reservePort();
  try {
    const asRoot = Deno.uid() === 0;
    const owner = asRoot ? { uid: 4242, gid: 4343 } : undefined;
    const bundle = join(dir, "beacon.js");
    await Deno.copyFile(await bundleBeacon(), bundle);
    const logs = join(dir, "logs");
    await Deno.mkdir(logs);
    const policy = await writePolicy(
      dir,
      `[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n` +
        `[runtime_log]\npath = "${logs}/runtime.jsonl"\n`,
    );
    if (owner) {
      await Deno.chmod(dir, 0o755);
      for (const path of [dir, bundle, logs, policy]) await Deno.chown(path, owner.uid, owner.gid);
    }
    await Deno.chmod(logs, 0o500);
    const deno = [
      Deno.execPath(),
      "run",
      "--quiet",
      "--no-prompt",
      ...BINARY_PERMISSION_FLAGS,
      bundle,
      "collector",
      "run",
      "--policy",
      policy,
    ];
    const command = owner
      ? ["setpriv", `--reuid=${owner.uid}`, `--regid=${owner.gid}`, "--clear-groups", ...deno]
      : deno;
    const result = await new Deno.Command(command[0], {
      args: command.slice(1),
      cwd: dir,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: dir, NO_COLOR: "1" },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    assertCleanFailure(
      { code: result.code, stdout: decode(result.stdout), stderr: decode(result.stderr) },
      ERROR,
      /^error: Cannot write runtime log ".*\/logs\/runtime\.jsonl".*: permission denied \(EACCES\)/,
      "read-only log folder",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a policy that is missing or malformed: file and place, exit 1", async () => {
  await using tmp = await makeTempHome();
  const missing = join(tmp.home, "nope.toml");
  assertCleanFailure(
    await runBeacon(["apply", "--plan", "--policy", missing], tmp),
    ERROR,
    /^error: Cannot read policy ".*nope\.toml" \(from --policy\): no such file/,
    "unknown policy file",
  );
  assertCleanFailure(
    await runBeacon(["apply", "--plan"], { env: { ...tmp.env, BEACON_POLICY: missing } }),
    ERROR,
    /^error: Cannot read policy ".*nope\.toml"/,
    "unknown policy file from $BEACON_POLICY",
  );
  const syntax = await writePolicy(tmp.home, `[collector\nlisten = "x"\n`);
  assertCleanFailure(
    await runBeacon(["endpoint", "install", "--policy", syntax], tmp),
    ERROR,
    /policy\.toml:2:\d+ is not valid TOML/,
    "policy that is not TOML",
  );
  const schema = await writePolicy(tmp.home, `[collector]\nlisten = 4318\n`);
  assertCleanFailure(
    await runBeacon(["collector", "run", "--policy", schema], tmp),
    ERROR,
    /collector\.listen/,
    "policy with a wrong value",
  );
});

Deno.test("a Codex config path that is a folder: apply and endpoint install refuse, exit 1", async () => {
  await using tmp = await makeTempHome();
  await Deno.mkdir(join(tmp.codexHome, "config.toml"), { recursive: true });
  using collectorPort = reservePort();
  const policy = await writePolicy(
    tmp.home,
    `[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n`,
  );
  const env = { ...tmp.env, BEACON_SERVICE_MANAGER: "detached" };
  for (const args of [["apply"], ["endpoint", "install"], ["endpoint", "repair"]]) {
    assertCleanFailure(
      await runBeacon([...args, "--policy", policy], { env }),
      ERROR,
      /Cannot update ".*\/\.codex\/config\.toml": it is not a regular file/,
      `${args.join(" ")} with config.toml a folder`,
    );
  }
});

Deno.test("an endpoint step that fails (the collector cannot listen): names the step, exit 1", async () => {
  await using tmp = await makeTempHome();
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  const policy = await writePolicy(tmp.home, `[collector]\nlisten = "127.0.0.1:${port}"\n`);
  const env = { ...tmp.env, BEACON_SERVICE_MANAGER: "detached" };
  try {
    const install = await runBeacon(["endpoint", "install", "--policy", policy], { env });
    assertCleanFailure(
      install,
      ERROR,
      new RegExp(
        `^error: The install failed at "collector service": .*\n` +
          `(.*\n)*.*Cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`,
      ),
      "install with the collector's address taken",
    );
    assert.match(install.stderr, /the machine is as it was before the install\.\n$/);
  } finally {
    await runBeacon(["endpoint", "uninstall", "--purge", "--policy", policy], { env });
  }
});

Deno.test("no HOME, a broken endpoint file, nothing listening: one line each, exit 1", async () => {
  await using tmp = await makeTempHome();
  // Reserved and never listened on: nothing answers there.
  using collectorPort = reservePort();
  const policy = await writePolicy(
    tmp.home,
    `[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\n`,
  );
  const noHome = await runBeacon(["apply", "--plan", "--policy", policy], {
    env: { CODEX_HOME: tmp.codexHome },
    cwd: tmp.home,
  });
  assertCleanFailure(
    noHome,
    ERROR,
    /^error: Cannot find your home folder: HOME is not set/,
    "HOME",
  );

  const endpointFile = join(tmp.home, ".beacon", "endpoint", "endpoint.json");
  await Deno.mkdir(endpointFile, { recursive: true });
  const status = await runBeacon(["endpoint", "status", "--policy", policy], tmp);
  assertCleanFailure(status, ERROR, /endpoint\.json/, "endpoint.json is a folder");
  assert.equal(status.stderr.split("\n").length, 2, `one line: ${status.stderr}`);
  await Deno.remove(endpointFile);

  const testEvent = await runBeacon(["endpoint", "test-event", "--policy", policy], tmp);
  assertCleanFailure(
    testEvent,
    ERROR,
    /^error: Nothing answered at http:\/\/127\.0\.0\.1:/,
    "down",
  );

  await Deno.writeTextFile(join(tmp.home, ".beacon", "endpoint", "state.json"), "{");
  assertCleanFailure(
    await runBeacon(["apply", "--policy", policy], tmp),
    ERROR,
    /^error: Cannot read Beacon's state file ".*state\.json": not valid JSON/,
    "corrupt state file",
  );
});

Deno.test("usage errors, before or after the command: one line, exit 2", async () => {
  await using tmp = await makeTempHome();
  const cases: Array<[string[], RegExp]> = [
    [["--plan", "apply"], /^error: --plan must come after the command; /],
    [["--policy", "apply"], /^error: --policy needs a value before the command/],
    [["apply", "--plna"], /^error: beacon apply: unknown flag --plna; did you mean --plan\?\n$/],
    [["endpoint", "uninstall", "--keep-logs"], /^error: beacon endpoint uninstall: unknown flag/],
  ];
  for (const [args, message] of cases) {
    const run = await runBeacon(args, tmp);
    assertCleanFailure(run, USAGE, message, args.join(" "));
    assert.equal(run.stderr.split("\n").length, 2, `one line: ${run.stderr}`);
  }
});
