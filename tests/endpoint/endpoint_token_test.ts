/**
 * Issue 7 item 14: who may write events. With a policy that sets no token, `endpoint install`
 * generates one for the machine, keeps it in a 0600 file only the owner reads, writes it into
 * Codex's exporter headers and starts the collector requiring it (without the token on its
 * command line). A request without it gets 401 and writes nothing; Codex's own exports (the real
 * Codex CLI) arrive. `endpoint repair --rotate-token` replaces it: the old token is refused, the
 * new one works, and status is healthy.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { codexAuthorization, postSessionStart } from "../support/collector_token_requests.ts";
import { reservePort } from "../support/reserve_port.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;

Deno.test("endpoint install generates a machine token; repair --rotate-token replaces it", async () => {
  await using tmp = await makeTempHome();
  using collectorPort = reservePort();
  const port = collectorPort.port;
  const policyPath = join(tmp.home, "team-policy.toml");
  // No token in the policy: the endpoint must make one.
  await Deno.writeTextFile(policyPath, `version = 1\n[collector]\nlisten = "127.0.0.1:${port}"\n`);
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
  };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policyPath], { env });
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "done" });
  const stateDir = join(tmp.home, ".beacon", "endpoint");
  const tokenPath = join(stateDir, "collector.token");
  const logPath = join(stateDir, "logs", "runtime.jsonl");
  const configPath = join(tmp.codexHome, "config.toml");
  const logText = () => Deno.readTextFile(logPath).catch(() => "");
  try {
    await Deno.mkdir(tmp.codexHome, { recursive: true });
    await Deno.writeTextFile(configPath, mockProviderToml(provider.baseUrl));

    const install = await beacon("endpoint", "install");
    assert.equal(install.code, 0, install.stdout + install.stderr);

    const token = (await Deno.readTextFile(tokenPath)).trim();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, base64url");
    assert.equal((await Deno.stat(tokenPath)).mode! & 0o777, 0o600);
    assert.ok(!install.stdout.includes(token) && !install.stderr.includes(token));
    assert.equal(codexAuthorization(await Deno.readTextFile(configPath)), `Bearer ${token}`);

    const pid = Number((await Deno.readTextFile(join(stateDir, "collector.pid"))).trim());
    const cmdline = await Deno.readTextFile(`/proc/${pid}/cmdline`);
    assert.ok(cmdline.includes(tokenPath), `the collector reads the token file:\n${cmdline}`);
    assert.ok(!cmdline.includes(token), "the token is not on the collector's command line");

    // Without the token (or with a wrong one) nothing is written.
    const before = await logText();
    assert.equal(await postSessionStart(port, "forged-no-header"), 401);
    assert.equal(await postSessionStart(port, "forged-wrong", `Bearer ${"x".repeat(43)}`), 401);
    assert.equal(await postSessionStart(port, "forged-short", "Bearer x"), 401);
    assert.equal(await logText(), before, "a refused request writes nothing");
    // The very same request with Codex's configured header is written.
    assert.equal(await postSessionStart(port, "with-codex-header", `Bearer ${token}`), 200);
    assert.match(await logText(), /with-codex-header/);

    // The real Codex CLI sends with the header Beacon wrote.
    const run = await runCodexExec({
      codexHome: tmp.codexHome,
      cwd: tmp.home,
      prompt: "run it",
      env: { HOME: tmp.home },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(await logText(), /"kind":"command_run"/, "Codex's events arrive");

    const testEvent = await beacon("endpoint", "test-event");
    assert.equal(testEvent.code, 0, testEvent.stdout + testEvent.stderr);
    const healthy = await beacon("endpoint", "status");
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.match(healthy.stdout, /token: ok/);

    // A second install keeps the token: nothing to change; nor does `beacon apply`.
    const again = await beacon("endpoint", "install", "--plan");
    assert.equal(again.code, 0, again.stdout);
    const apply = await beacon("apply", "--plan");
    assert.equal(
      apply.code,
      0,
      `apply keeps the endpoint's token in Codex's headers:\n${apply.stdout}`,
    );

    const rotate = await beacon("endpoint", "repair", "--rotate-token");
    assert.equal(rotate.code, 0, rotate.stdout + rotate.stderr);
    const rotated = (await Deno.readTextFile(tokenPath)).trim();
    assert.notEqual(rotated, token);
    assert.match(rotated, /^[A-Za-z0-9_-]{43}$/);
    assert.equal((await Deno.stat(tokenPath)).mode! & 0o777, 0o600);
    assert.ok(!rotate.stdout.includes(rotated) && !rotate.stdout.includes(token));
    assert.equal(codexAuthorization(await Deno.readTextFile(configPath)), `Bearer ${rotated}`);

    const beforeOld = await logText();
    assert.equal(await postSessionStart(port, "with-old-token", `Bearer ${token}`), 401);
    assert.equal(await logText(), beforeOld, "the old token writes nothing");
    assert.equal(await postSessionStart(port, "with-new-token", `Bearer ${rotated}`), 200);

    const runAfter = await runCodexExec({
      codexHome: tmp.codexHome,
      cwd: tmp.home,
      prompt: "run it again",
      env: { HOME: tmp.home },
    });
    assert.equal(runAfter.code, 0, runAfter.stderr);
    const sessions = new Set(
      (await logText()).split("\n").filter(Boolean).map((line) => JSON.parse(line))
        .filter((event) => event.kind === "command_run").map((event) => event.session_id),
    );
    assert.equal(sessions.size, 2, "Codex's events arrive after the rotation too");

    const afterRotation = await beacon("endpoint", "status");
    assert.equal(afterRotation.code, 0, afterRotation.stdout + afterRotation.stderr);
    assert.match(afterRotation.stdout, /Healthy\./);
    const testAfter = await beacon("endpoint", "test-event");
    assert.equal(testAfter.code, 0, testAfter.stdout + testAfter.stderr);

    const uninstall = await beacon("endpoint", "uninstall");
    assert.equal(uninstall.code, 0, uninstall.stdout + uninstall.stderr);
    assert.equal(await Deno.stat(tokenPath).catch(() => undefined), undefined, "token removed");
  } finally {
    await provider.close();
    await runBeacon(["endpoint", "uninstall", "--policy", policyPath], { env }).catch(() => {});
  }
});

Deno.test("endpoint repair --rotate-token refuses when the policy sets the token", async () => {
  await using tmp = await makeTempHome();
  using collectorPort = reservePort();
  const policyPath = join(tmp.home, "team-policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n[collector]\nlisten = "127.0.0.1:${collectorPort.port}"\ntoken = "policyToken-0123456789"\n`,
  );
  const run = await runBeacon(
    ["endpoint", "repair", "--rotate-token", "--plan", "--policy", policyPath],
    { env: { ...tmp.env, BEACON_SERVICE_MANAGER: "detached" } },
  );
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /collector\.token/);
  assert.ok(!run.stderr.includes("policyToken-0123456789"));
  assert.doesNotMatch(run.stderr, / {4}at /);
});
