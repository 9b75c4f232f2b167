/**
 * README, The endpoint: `endpoint status` exits 3 when the collector rejects the token and when
 * an overriding Codex config layer exists (each alone, on an otherwise healthy endpoint), and
 * `endpoint install --include-codex-spans` keeps the raw spans of a real Codex turn end to end
 * (the installed collector and Codex's trace exporter both), while a plain install keeps none.
 * The single-file build with the binary's permissions, a detached collector, the real Codex CLI.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "../support/beacon_bundle.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { mockProviderToml, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { readBeaconEvents } from "../support/beacon_event_schema.ts";
import { reservePort } from "../support/reserve_port.ts";
import { waitUntil } from "../support/wait_until.ts";

const TOOLS_BIN = new URL("../../tools/node_modules/.bin", import.meta.url).pathname;
const TOKEN = "policy-token-0123456789abcdef";

async function installed(extraPolicy = "") {
  const tmp = await makeTempHome();
  const collectorPort = reservePort();
  const port = collectorPort.port;
  const policyPath = join(tmp.home, "team-policy.toml");
  await Deno.writeTextFile(
    policyPath,
    `version = 1\n${extraPolicy}[collector]\nlisten = "127.0.0.1:${port}"\ntoken = "${TOKEN}"\n`,
  );
  const env = {
    ...tmp.env,
    PATH: `${TOOLS_BIN}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    BEACON_SERVICE_MANAGER: "detached",
    BEACON_SYSTEM_ROOT: join(tmp.home, "root"),
  };
  const beacon = (...args: string[]) => runBeacon([...args, "--policy", policyPath], { env });
  const status = async () => {
    const run = await beacon("endpoint", "status", "--json");
    return { code: run.code, problems: JSON.parse(run.stdout).problems as string[], run };
  };
  return {
    tmp,
    port,
    policyPath,
    env,
    beacon,
    status,
    async [Symbol.asyncDispose]() {
      await beacon("endpoint", "uninstall").catch(() => {});
      await tmp[Symbol.asyncDispose]();
      collectorPort.release();
    },
  };
}

async function stopInstalledCollector(home: string): Promise<void> {
  const pid = Number(
    (await Deno.readTextFile(join(home, ".beacon", "endpoint", "collector.pid"))).trim(),
  );
  Deno.kill(pid, "SIGTERM");
  // Gone once a signal can no longer be sent to it.
  await waitUntil(`the stopped collector (pid ${pid}) to be gone`, () => {
    try {
      Deno.kill(pid, "SIGCONT");
      return false;
    } catch {
      return true;
    }
  });
}

Deno.test("endpoint status: exit 3 when the collector rejects the policy's token", async () => {
  await using endpoint = await installed();
  const install = await endpoint.beacon("endpoint", "install");
  assert.equal(install.code, 0, install.stdout + install.stderr);
  const healthy = await endpoint.status();
  assert.deepEqual([healthy.code, healthy.problems], [0, []], healthy.run.stdout);

  // The same collector (same address, same log) but expecting another token.
  await stopInstalledCollector(endpoint.tmp.home);
  const tokenFile = join(endpoint.tmp.home, "other-token");
  await Deno.writeTextFile(tokenFile, "another-token-0123456789abcdef\n");
  await using _other = await startCollectorProcess({
    policyPath: endpoint.policyPath,
    args: ["--token-file", tokenFile],
    home: endpoint.tmp.home,
  });
  const rejected = await endpoint.status();
  assert.equal(rejected.code, 3, rejected.run.stdout);
  assert.deepEqual(rejected.problems, [
    "the collector rejects the policy's token: run `beacon endpoint repair`",
  ]);
  const text = await endpoint.beacon("endpoint", "status");
  assert.equal(text.code, 3);
  assert.match(text.stdout, /the collector rejects the policy's token/);
});

Deno.test("endpoint status: exit 3 for each Codex layer that overrides the config", async () => {
  await using endpoint = await installed();
  const install = await endpoint.beacon("endpoint", "install");
  assert.equal(install.code, 0, install.stdout + install.stderr);
  assert.deepEqual((await endpoint.status()).problems, []);

  const managed = join(endpoint.env.BEACON_SYSTEM_ROOT, "etc", "codex", "managed_config.toml");
  const profile = join(endpoint.tmp.codexHome, "work.config.toml");
  const layers: Array<[string, string]> = [
    [managed, `[otel]\nexporter = "none"\n`],
    [profile, `[otel]\nenvironment = "elsewhere"\n`],
  ];
  for (const [path, text] of layers) {
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text);
    const status = await endpoint.status();
    assert.equal(status.code, 3, `${path}: ${status.run.stdout}`);
    assert.equal(status.problems.length, 1, status.problems.join("\n"));
    assert.ok(status.problems[0].includes(path), `${status.problems[0]} names ${path}`);
    await Deno.remove(path);
    const clear = await endpoint.status();
    assert.deepEqual([clear.code, clear.problems], [0, []], `${path} removed`);
  }
});

Deno.test("endpoint install --include-codex-spans keeps a real Codex turn's spans; without, none", async () => {
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "done" });
  try {
    for (const withSpans of [true, false]) {
      await using endpoint = await installed();
      const config = join(endpoint.tmp.codexHome, "config.toml");
      await Deno.mkdir(endpoint.tmp.codexHome, { recursive: true });
      await Deno.writeTextFile(config, mockProviderToml(provider.baseUrl));
      const install = await endpoint.beacon(
        "endpoint",
        "install",
        ...(withSpans ? ["--include-codex-spans"] : []),
      );
      assert.equal(install.code, 0, install.stdout + install.stderr);
      const written = await Deno.readTextFile(config);
      if (withSpans) {
        assert.match(
          written,
          new RegExp(
            `trace_exporter = \\{ otlp-http = \\{ endpoint = "http://127\\.0\\.0\\.1:${endpoint.port}/v1/traces"`,
          ),
        );
        assert.match((await endpoint.beacon("endpoint", "status")).stdout, /Codex spans kept/);
      } else {
        assert.match(written, /trace_exporter = "none"/);
      }

      const run = await runCodexExec({
        codexHome: endpoint.tmp.codexHome,
        cwd: endpoint.tmp.home,
        prompt: "run it",
        env: { HOME: endpoint.tmp.home },
      });
      assert.equal(run.code, 0, run.stderr);
      const logPath = join(endpoint.tmp.home, ".beacon", "endpoint", "logs", "runtime.jsonl");
      const kinds = (await readBeaconEvents(logPath)).map((event) => event.kind as string);
      assert.ok(kinds.includes("command_run"), "Codex's events arrive");
      const spans = kinds.filter((kind) => kind === "span").length;
      if (withSpans) assert.ok(spans > 0, "spans are kept with --include-codex-spans");
      else assert.equal(spans, 0, "no spans without it");
    }
  } finally {
    await provider.close();
  }
});
