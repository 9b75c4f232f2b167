/**
 * README: "The policy is, in order: `--policy PATH`, `$BEACON_POLICY`, `~/.beacon/policy.toml`,
 * `/etc/beacon/policy.toml`, else the built-in default", and "`--system` ... the user's own policy
 * file is then ignored". Each candidate file names itself in Codex's `otel.environment`, so the
 * plan shows which one was read, and the commands print the path they used. System paths sit
 * under `$BEACON_SYSTEM_ROOT`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "./support/beacon_bundle.ts";
import { startCollectorProcess } from "./support/collector_process.ts";

type Source = "flag" | "env" | "user" | "system";

async function lookupMachine() {
  const tmp = await makeTempHome();
  const systemRoot = join(tmp.home, "system-root");
  const paths: Record<Source, string> = {
    flag: join(tmp.home, "flag-policy.toml"),
    env: join(tmp.home, "env-policy.toml"),
    user: join(tmp.home, ".beacon", "policy.toml"),
    system: join(systemRoot, "etc", "beacon", "policy.toml"),
  };
  const write = async (source: Source, extra = "") => {
    await Deno.mkdir(join(paths[source], ".."), { recursive: true });
    await Deno.writeTextFile(
      paths[source],
      `version = 1\n[harnesses.codex]\nenvironment = "from-${source}"\n${extra}`,
    );
  };
  const env = (withEnvPolicy: boolean) => ({
    ...tmp.env,
    BEACON_SYSTEM_ROOT: systemRoot,
    ...(withEnvPolicy ? { BEACON_POLICY: paths.env } : {}),
  });
  return {
    tmp,
    systemRoot,
    paths,
    write,
    env,
    [Symbol.asyncDispose]: () => tmp[Symbol.asyncDispose](),
  };
}

Deno.test("policy lookup: --policy, $BEACON_POLICY, ~/.beacon, /etc/beacon, built-in", async () => {
  await using machine = await lookupMachine();
  const { paths } = machine;
  const plan = async (withFlag: boolean, withEnv: boolean) => {
    const run = await runBeacon(
      ["apply", "--plan", ...(withFlag ? ["--policy", paths.flag] : [])],
      { env: machine.env(withEnv) },
    );
    assert.equal(run.code, 2, run.stderr);
    const environment = /\+ otel\.environment += "([^"]+)"/.exec(run.stdout)?.[1];
    const source = /^Policy: (.*)$/m.exec(run.stdout)?.[1];
    return { environment, source };
  };

  // Nothing anywhere: the built-in default.
  assert.deepEqual(await plan(false, false), { environment: "dev", source: "built-in default" });
  // Each file, added from the bottom of the order up, wins over everything below it.
  const order: Array<[Source, boolean, boolean]> = [
    ["system", false, false],
    ["user", false, false],
    ["env", false, true],
    ["flag", true, true],
  ];
  for (const [source, withFlag, withEnv] of order) {
    await machine.write(source);
    assert.deepEqual(
      await plan(withFlag, withEnv),
      { environment: `from-${source}`, source: paths[source] },
      `${source} is used when it and everything below it exist`,
    );
  }
  // And with everything present, dropping the flag and the variable falls back in order.
  assert.equal((await plan(false, true)).source, paths.env);
  assert.equal((await plan(false, false)).source, paths.user);
  await Deno.remove(paths.user);
  assert.equal((await plan(false, false)).source, paths.system);
});

Deno.test("a policy named by --policy or $BEACON_POLICY that is missing is an error, not a fallback", async () => {
  await using machine = await lookupMachine();
  await machine.write("user");
  const missing = join(machine.tmp.home, "nowhere.toml");
  const flag = await runBeacon(["apply", "--plan", "--policy", missing], {
    env: machine.env(false),
  });
  assert.equal(flag.code, 1, flag.stdout);
  assert.match(flag.stderr, new RegExp(`Cannot read policy "${missing}" \\(from --policy\\)`));
  const env = await runBeacon(["apply", "--plan"], {
    env: { ...machine.env(false), BEACON_POLICY: missing },
  });
  assert.equal(env.code, 1, env.stdout);
  assert.match(env.stderr, new RegExp(`Cannot read policy "${missing}" \\(from BEACON_POLICY\\)`));
});

Deno.test("--system ignores the user's policy file: collector run and endpoint status", async () => {
  await using machine = await lookupMachine();
  const { paths, tmp } = machine;
  const logs = (source: Source) =>
    `[collector]\nlisten = "127.0.0.1:0"\n[runtime_log]\npath = "${
      join(tmp.home, `${source}-logs`, "runtime.jsonl")
    }"\n`;
  await machine.write("user", logs("user"));

  // With only the user's file, --system falls through to the built-in default, never to it.
  const status = await runBeacon(["endpoint", "status", "--system", "--json"], {
    env: machine.env(false),
  });
  assert.equal(JSON.parse(status.stdout).policySource, "built-in default", status.stderr);
  const userStatus = await runBeacon(["endpoint", "status", "--json"], { env: machine.env(false) });
  assert.equal(JSON.parse(userStatus.stdout).policySource, paths.user, userStatus.stderr);

  await machine.write("system", logs("system"));
  const systemStatus = await runBeacon(["endpoint", "status", "--system", "--json"], {
    env: machine.env(false),
  });
  assert.equal(JSON.parse(systemStatus.stdout).policySource, paths.system, systemStatus.stderr);

  await using collector = await startCollectorProcess({
    args: ["--system"],
    home: tmp.home,
    env: { BEACON_SYSTEM_ROOT: machine.systemRoot },
  });
  assert.match(collector.output(), new RegExp(`\\(system mode, policy: ${paths.system}\\)`));
  assert.match(collector.output(), /system-logs\/runtime\.jsonl/);
  assert.equal((await collector.stop("SIGTERM")).code, 0, collector.output());
});
