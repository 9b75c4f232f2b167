/**
 * Issue 7 item 1: no command prints a secret. The policy's collector token, a token already in
 * Codex's exporter headers and another team's header value are planted, then every command that
 * prints runs, as text and as `--json`, before and after a real install (when Beacon's state
 * holds the config's original text), and none of them may appear in stdout or stderr. With a
 * policy that sets no token, the token `endpoint install` generates (and the one `repair
 * --rotate-token` replaces it with) is planted the same way.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type BeaconRun, makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { reservePort } from "../support/reserve_port.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;

const POLICY_TOKEN = "policyTokenDoNotPrint-7f3a9c51";
const OLD_TOKEN = "oldTokenInCodexConfig-5b21e8d0";
const FOREIGN_SECRET = "foreignTeamSecret-d4c8a1e6";
const SECRETS = [POLICY_TOKEN, OLD_TOKEN, FOREIGN_SECRET];

async function setUp(codexConfig: (port: number) => string, policyToken = true) {
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
    `version = 1\n[collector]\nlisten = "127.0.0.1:${port}"\n` +
      (policyToken ? `token = "${POLICY_TOKEN}"\n` : ""),
  );
  /** What must never be printed; tests add the tokens Beacon generates. */
  const secrets = [...SECRETS];
  await Deno.mkdir(tmp.codexHome, { recursive: true });
  await Deno.writeTextFile(join(tmp.codexHome, "config.toml"), codexConfig(port));
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
  };
  const runs: { what: string; run: BeaconRun }[] = [];
  /** Checks that no run so far printed a secret (also one planted after it ran). */
  const recheck = () => {
    for (const { what, run } of runs) noSecretIn(what, run);
  };
  const noSecretIn = (what: string, run: BeaconRun) => {
    for (const secret of secrets) {
      assert.ok(
        !run.stdout.includes(secret),
        `${what} printed ${secret} on stdout:\n${run.stdout}`,
      );
      assert.ok(
        !run.stderr.includes(secret),
        `${what} printed ${secret} on stderr:\n${run.stderr}`,
      );
    }
  };
  /** Runs beacon and checks that it ran (one of `codes`) and printed no secret. */
  const check = async (args: string[], codes: number[]): Promise<BeaconRun> => {
    const run = await runBeacon(args, { env });
    const what = `beacon ${args.join(" ")}`;
    assert.ok(codes.includes(run.code), `${what} exited ${run.code}:\n${run.stdout}${run.stderr}`);
    noSecretIn(what, run);
    runs.push({ what, run });
    return run;
  };
  return { tmp, port, policyPath, check, recheck, secrets, env };
}

/** Every command that prints a plan, a config or a report, text and JSON. */
async function checkEveryCommand(
  check: (args: string[], codes: number[]) => Promise<BeaconRun>,
  policyPath: string,
): Promise<void> {
  const p = ["--policy", policyPath];
  const any = [0, 2, 3];
  for (const json of [[], ["--json"]]) {
    await check(["apply", "--plan", ...json, ...p], any);
    await check(["apply", "--plan", "--force", ...json, ...p], any);
    await check(["endpoint", "install", "--plan", ...json, ...p], any);
    await check(["endpoint", "install", "--plan", "--force", ...json, ...p], any);
    await check(["endpoint", "install", "--plan", "--system", ...json, ...p], any);
    await check(["endpoint", "repair", "--plan", ...json, ...p], any);
    await check(["endpoint", "repair", "--plan", "--force", ...json, ...p], any);
    await check(["endpoint", "status", ...json, ...p], [0, 3]);
    await check(["endpoint", "status", "--system", ...json, ...p], [0, 3]);
    await check(["endpoint", "discover", ...json, ...p], [0]);
    await check(["policy", "validate", policyPath, ...json], [0]);
  }
}

Deno.test("no command prints the collector token or a token already in Codex's config", async () => {
  // Codex already sends to Beacon's address, with an older token Beacon did not write.
  const { tmp, policyPath, check } = await setUp((port) =>
    `model = "gpt-5"\n[otel]\nenvironment = "dev"\nexporter = { otlp-http = { endpoint = ` +
    `"http://127.0.0.1:${port}/v1/logs", protocol = "binary", headers = { authorization = ` +
    `"Bearer ${OLD_TOKEN}" } } }\n`
  );
  await using _home = tmp;
  await checkEveryCommand(check, policyPath);

  // After a real install, Beacon's state holds the config's original text and owned values.
  const p = ["--policy", policyPath];
  const install = await check(["endpoint", "install", "--json", ...p], [0, 3]);
  try {
    await checkEveryCommand(check, policyPath);
    await check(["endpoint", "repair", ...p], [0, 3]);
    await check(["endpoint", "repair", "--json", ...p], [0, 3]);
    await check(["endpoint", "install", ...p], [0, 3]);
  } finally {
    const uninstall = await runBeacon(["endpoint", "uninstall", ...p], {
      env: { ...tmp.env, BEACON_SERVICE_MANAGER: "detached" },
    });
    assert.equal(uninstall.code, 0, install.stdout + uninstall.stdout + uninstall.stderr);
  }
});

Deno.test("no command prints the token endpoint install generates, nor its rotation", async () => {
  const { tmp, policyPath, check, recheck, secrets, env } = await setUp(
    (port) =>
      `model = "gpt-5"\n[otel]\nenvironment = "dev"\nexporter = { otlp-http = { endpoint = ` +
      `"http://127.0.0.1:${port}/v1/logs", protocol = "binary", headers = { authorization = ` +
      `"Bearer ${OLD_TOKEN}" } } }\n`,
    false,
  );
  await using _home = tmp;
  const p = ["--policy", policyPath];
  const tokenPath = join(tmp.home, ".beacon", "endpoint", "collector.token");
  const readToken = async () => (await Deno.readTextFile(tokenPath)).trim();
  await check(["endpoint", "install", ...p], [0, 3]);
  try {
    secrets.push(await readToken());
    await checkEveryCommand(check, policyPath);
    await check(["endpoint", "test-event", ...p], [0]);
    await check(["endpoint", "test-event", "--json", ...p], [0]);
    await check(["endpoint", "repair", "--rotate-token", "--plan", ...p], [2]);
    await check(["endpoint", "repair", "--rotate-token", "--plan", "--json", ...p], [2]);
    await check(["endpoint", "repair", "--rotate-token", ...p], [0, 3]);
    secrets.push(await readToken());
    assert.notEqual(secrets.at(-1), secrets.at(-2), "the token was rotated");
    await check(["endpoint", "repair", "--rotate-token", "--json", ...p], [0, 3]);
    secrets.push(await readToken());
    await checkEveryCommand(check, policyPath);
    // The install and each rotation ran before their token was known: check them again.
    recheck();
  } finally {
    const uninstall = await runBeacon(["endpoint", "uninstall", ...p], { env });
    assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
  }
});

Deno.test("no command prints another team's exporter header, taken over or left alone", async () => {
  const { tmp, policyPath, check } = await setUp(() =>
    `[otel]\nenvironment = "production"\n[otel.exporter.otlp-http]\n` +
    `endpoint = "https://otel.example.com/v1/logs"\nprotocol = "json"\n` +
    `[otel.exporter.otlp-http.headers]\n"x-honeycomb-team" = "${FOREIGN_SECRET}"\n` +
    `"x-api-key" = "${OLD_TOKEN}"\n`
  );
  await using _home = tmp;
  await checkEveryCommand(check, policyPath);
});

Deno.test("ci start --json prints neither the policy's token nor the run's", async () => {
  await using tmp = await makeTempHome();
  const policyPath = join(tmp.home, "ci-policy.toml");
  await Deno.writeTextFile(policyPath, `version = 1\n[collector]\ntoken = "${POLICY_TOKEN}"\n`);
  const env = { HOME: tmp.home };
  const start = await runBeacon(
    ["ci", "start", "--base-dir", join(tmp.home, "run"), "--json", "--policy", policyPath],
    { env },
  );
  assert.equal(start.code, 0, start.stderr);
  const statePath = JSON.parse(start.stdout).env.BEACON_CI_STATE as string;
  try {
    const state = JSON.parse(await Deno.readTextFile(statePath));
    const runToken = (await Deno.readTextFile(state.token_file)).trim();
    for (const secret of [POLICY_TOKEN, runToken]) {
      assert.ok(!start.stdout.includes(secret), `ci start printed a token:\n${start.stdout}`);
      assert.ok(!start.stderr.includes(secret), `ci start printed a token:\n${start.stderr}`);
    }
  } finally {
    const finish = await runBeacon(["ci", "finish", "--state", statePath], { env });
    for (const secret of [POLICY_TOKEN]) {
      assert.ok(!(finish.stdout + finish.stderr).includes(secret), "ci finish printed a token");
    }
  }
});
