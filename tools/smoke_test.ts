/**
 * The smoke test a Beacon build must pass before it is published: run against the compiled
 * binary by the release workflow, and against the single-file bundle by
 * `tests/action/smoke_test_bundle_test.ts` (where `deno compile` cannot fetch its runtime).
 *
 * ```sh
 * deno run --allow-all tools/smoke_test.ts ./dist/beacon
 * deno run --allow-all tools/smoke_test.ts deno run --allow-read ... dist/beacon.js
 * ```
 *
 * The arguments are the command that runs Beacon (paths in them absolute, except the program's
 * own). Checks, each with a fresh HOME and a clean
 * environment (nothing from the CI job it runs in, so `ci` never writes to its $GITHUB_* files):
 * 1. `--version` prints deno.json's version;
 * 2. `policy validate` accepts every shipped policy (embedded schema) and names the bad key of a
 *    broken one;
 * 3. `collector run` on a free loopback port answers `/healthz`, `endpoint test-event` reaches its
 *    runtime log, SIGTERM stops it with exit 0;
 * 4. `ci exec` with gates around a real Codex CLI turn against the mock model provider
 *    (tools/codex_mock_turn.ts) exits 0 and leaves its summary; `ci exec` keeps a command's exit
 *    code (42).
 *
 * Prints one line per check and exits 1 if any failed.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

const ROOT = new URL("../", import.meta.url).pathname;
const CODEX_TURN = new URL("./codex_mock_turn.ts", import.meta.url).pathname;
const TIMEOUT_MS = 120_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

class CheckFailed extends Error {}

function expect(
  condition: boolean,
  message: string,
  run?: Run,
): asserts condition {
  if (condition) return;
  const output = run
    ? `\n--- exit ${run.code}, stdout:\n${run.stdout}\n--- stderr:\n${run.stderr}`
    : "";
  throw new CheckFailed(message + output);
}

function cleanEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
    NO_COLOR: "1",
    LANG: "C.UTF-8",
    RUNNER_TEMP: `${home}/runner-temp`,
  };
  for (const name of ["DENO_DIR", "BEACON_CODEX_BIN", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  return env;
}

function beaconCommand(
  beacon: string[],
  args: string[],
  env: Record<string, string>,
) {
  return new Deno.Command(beacon[0], {
    args: [...beacon.slice(1), ...args],
    cwd: env.HOME,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

async function runBeacon(
  beacon: string[],
  args: string[],
  env: Record<string, string>,
): Promise<Run> {
  const output = await beaconCommand(beacon, args, env).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function withHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = await Deno.makeTempDir({ prefix: "beacon-smoke-" });
  await Deno.mkdir(`${home}/runner-temp`);
  try {
    return await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
}

async function checkVersion(beacon: string[]): Promise<string> {
  return await withHome(async (home) => {
    const run = await runBeacon(beacon, ["--version"], cleanEnv(home));
    expect(run.code === 0, "beacon --version failed", run);
    expect(
      run.stdout.includes(denoJson.version),
      `beacon --version does not print deno.json's version ${denoJson.version}`,
      run,
    );
    return run.stdout.trim();
  });
}

async function checkPolicyValidate(beacon: string[]): Promise<string> {
  return await withHome(async (home) => {
    const env = cleanEnv(home);
    const shipped = [...Deno.readDirSync(`${ROOT}policies`)]
      .filter((entry) => entry.name.endsWith(".toml"))
      .map((entry) => `${ROOT}policies/${entry.name}`)
      .sort();
    expect(shipped.length > 0, "no policies/*.toml to validate");
    for (const policy of shipped) {
      const run = await runBeacon(beacon, ["policy", "validate", policy], env);
      expect(run.code === 0, `policy validate ${policy} failed`, run);
    }
    const broken = `${home}/broken.toml`;
    await Deno.writeTextFile(
      broken,
      'version = 1\n\n[collector]\nlisen = "127.0.0.1:4318"\n',
    );
    const run = await runBeacon(beacon, ["policy", "validate", broken], env);
    expect(
      run.code === 1,
      "policy validate accepted a policy with an unknown key",
      run,
    );
    expect(
      (run.stdout + run.stderr).includes("lisen"),
      "policy validate does not name the unknown key",
      run,
    );
    return `${shipped.length} shipped policies valid, a broken one refused`;
  });
}

async function waitForHealth(
  url: string,
  collector: Deno.ChildProcess,
): Promise<void> {
  let exited = false;
  collector.status.then(() => exited = true);
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) {
      throw new CheckFailed("collector run exited before answering /healthz");
    }
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new CheckFailed(`collector run did not answer ${url}`);
}

async function checkCollector(beacon: string[]): Promise<string> {
  return await withHome(async (home) => {
    const env = cleanEnv(home);
    const port = freePort();
    const logPath = `${home}/logs/runtime.jsonl`;
    const policy = `${home}/policy.toml`;
    await Deno.writeTextFile(
      policy,
      `version = 1\n\n[collector]\nlisten = "127.0.0.1:${port}"\n\n[runtime_log]\npath = ${
        JSON.stringify(logPath)
      }\n`,
    );
    const collector = beaconCommand(beacon, [
      "collector",
      "run",
      "--policy",
      policy,
    ], env).spawn();
    const collected = collector.output();
    try {
      await waitForHealth(`http://127.0.0.1:${port}/healthz`, collector);
      const run = await runBeacon(beacon, [
        "endpoint",
        "test-event",
        "--policy",
        policy,
      ], env);
      expect(
        run.code === 0,
        "endpoint test-event did not reach the collector's log",
        run,
      );
      const log = await Deno.readTextFile(logPath);
      expect(
        log.includes('"kind":"session_start"'),
        `no session_start in ${logPath}:\n${log}`,
      );
    } finally {
      try {
        collector.kill("SIGTERM");
      } catch {
        // Already gone.
      }
    }
    const output = await collected;
    const stderr = new TextDecoder().decode(output.stderr);
    expect(
      output.code === 0,
      `collector run exited ${output.code} on SIGTERM:\n${stderr}`,
    );
    return `collector on 127.0.0.1:${port}, test event in its log, SIGTERM exit 0`;
  });
}

async function checkCiExec(beacon: string[]): Promise<string> {
  return await withHome(async (home) => {
    const env = cleanEnv(home);
    const base = `${home}/ci-run`;
    const run = await runBeacon(beacon, [
      "ci",
      "exec",
      "--base-dir",
      base,
      "--min-events",
      "3",
      "--require",
      "session_start,command_run,token_usage",
      "--",
      Deno.execPath(),
      "run",
      "--allow-all",
      "--quiet",
      CODEX_TURN,
    ], env);
    expect(
      run.code === 0,
      "ci exec around a Codex turn failed (or a gate failed)",
      run,
    );
    const summary = JSON.parse(await Deno.readTextFile(`${base}/summary.json`));
    expect(
      typeof summary === "object" && summary !== null,
      `${base}/summary.json is no object`,
    );
    await Deno.stat(`${base}/summary.md`).catch(() => {
      throw new CheckFailed(`ci exec left no ${base}/summary.md`);
    });

    const failing = await runBeacon(beacon, [
      "ci",
      "exec",
      "--base-dir",
      `${home}/ci-run-42`,
      "--require-telemetry=false",
      "--",
      "sh",
      "-c",
      "exit 42",
    ], env);
    expect(
      failing.code === 42,
      "ci exec did not keep the command's exit code 42",
      failing,
    );
    return "Codex turn under ci exec passed its gates; exit code 42 kept";
  });
}

/** Runs every check with `beacon` (the command that runs Beacon); returns how many failed. */
export async function smokeTest(beacon: string[]): Promise<number> {
  const checks: Array<[string, (beacon: string[]) => Promise<string>]> = [
    ["version", checkVersion],
    ["policy validate", checkPolicyValidate],
    ["collector run + endpoint test-event", checkCollector],
    ["ci exec with Codex", checkCiExec],
  ];
  let failed = 0;
  for (const [name, check] of checks) {
    try {
      console.log(`ok   ${name}: ${await check(beacon)}`);
    } catch (error) {
      failed++;
      const message = error instanceof CheckFailed ? error.message : String(error);
      console.log(`FAIL ${name}: ${message}`);
    }
  }
  console.log(
    `smoke test: ${checks.length - failed} of ${checks.length} checks passed`,
  );
  return failed;
}

if (import.meta.main) {
  const beacon = Deno.args[0] === "--" ? Deno.args.slice(1) : [...Deno.args];
  // Beacon runs in a temporary HOME: a relative program path is taken from here.
  if (beacon[0]?.includes("/") && !beacon[0].startsWith("/")) {
    beacon[0] = `${Deno.cwd()}/${beacon[0]}`;
  }
  if (beacon.length === 0) {
    console.error(
      "usage: deno run --allow-all tools/smoke_test.ts BEACON_COMMAND [ARGS...]",
    );
    Deno.exit(2);
  }
  Deno.exitCode = await smokeTest(beacon) === 0 ? 0 : 1;
}
