/**
 * `discoverHarnesses` on a real disk: a temporary HOME, a PATH holding the real Codex CLI from
 * `tools/` and fake `claude` / `gemini` programs (one hangs, one fails).
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import type { Host } from "../../lib/host/host.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import {
  discoverHarnesses,
  type HarnessDiscovery,
  VERSION_TIMEOUT_MS,
} from "../../lib/endpoint/probe/discover_harnesses.ts";
import { runCommand } from "../../lib/host/run_command.ts";
import { codexBinary } from "../support/codex_cli.ts";

const deps = { fs: realFileSystem, run: runCommand };

interface Machine extends AsyncDisposable {
  root: string;
  home: string;
  bin: string;
  host(env?: Record<string, string>): Host;
}

/**
 * A temporary machine: HOME, an empty bin folder for fake agents, and a PATH of that folder,
 * the real Codex and `node` (which the Codex launcher needs) and nothing else, so nothing
 * installed on the developer's machine is found.
 */
async function temporaryMachine(): Promise<Machine> {
  const root = await Deno.makeTempDir({ prefix: "beacon-discover-" });
  const home = join(root, "home");
  const bin = join(root, "bin");
  const nodeBin = join(root, "node-bin");
  await Deno.mkdir(home);
  await Deno.mkdir(bin);
  await Deno.mkdir(nodeBin);
  const codexBin = join(root, "codex-bin");
  await Deno.mkdir(codexBin);
  await Deno.symlink(codexBinary(), join(codexBin, "codex"));
  const node = await whichOnRealPath("node");
  await Deno.symlink(node, join(nodeBin, "node"));
  return {
    root,
    home,
    bin,
    host: (env = {}) => ({
      home,
      cwd: root,
      systemRoot: join(root, "system"),
      os: Deno.build.os,
      env: { HOME: home, PATH: [bin, codexBin, nodeBin].join(":"), ...env },
      now: () => new Date("2026-11-25T12:00:00Z"),
    }),
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

async function whichOnRealPath(name: string): Promise<string> {
  for (const folder of (Deno.env.get("PATH") ?? "").split(":")) {
    if (!folder.startsWith("/")) continue;
    const path = join(folder, name);
    if ((await Deno.stat(path).catch(() => undefined))?.isFile) return path;
  }
  throw new Error(`${name} is not on PATH`);
}

async function fakeProgram(folder: string, name: string, body: string): Promise<string> {
  const path = join(folder, name);
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

function byName(found: HarnessDiscovery[]): Record<string, HarnessDiscovery> {
  return Object.fromEntries(found.map((harness) => [harness.name, harness]));
}

async function writeCodexConfig(codexHome: string, text: string): Promise<string> {
  await Deno.mkdir(codexHome, { recursive: true });
  const path = join(codexHome, "config.toml");
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("discover finds the real Codex, fake agents, and copes with a hanging and a failing one", async () => {
  await using machine = await temporaryMachine();
  const sleep = await whichOnRealPath("sleep");
  // The hanging agent starts a child that would hold the output open: both must be killed.
  const claudePid = join(machine.root, "claude.pid");
  await fakeProgram(machine.bin, "claude", `echo $$ > ${claudePid}; ${sleep} 60 & wait`);
  // All agents are asked at once: gemini is asked while claude still hangs. Asked one after the
  // other, gemini would find claude stopped (or, asked first, wait for it until its own deadline).
  await fakeProgram(
    machine.bin,
    "gemini",
    `while [ ! -s ${claudePid} ]; do ${sleep} 0.02; done; read -r pid < ${claudePid}\n` +
      'if kill -0 "$pid" 2>/dev/null; then echo "gemini: cannot find its bundle" >&2\n' +
      'else echo "gemini: asked after claude was stopped" >&2; fi; exit 1',
  );
  await Deno.writeTextFile(join(machine.home, ".claude.json"), "{}");
  await Deno.mkdir(join(machine.home, ".copilot"));
  await Deno.writeTextFile(join(machine.home, ".copilot", "settings.json"), "{}");

  const found = byName(await discoverHarnesses(machine.host(), deps));

  const codexHome = join(machine.home, ".codex");
  assert.deepEqual(found.codex, {
    name: "codex",
    displayName: "Codex CLI",
    managed: true,
    detected: true,
    executable: join(machine.root, "codex-bin", "codex"),
    version: "0.169.0",
    configDir: codexHome,
    configPath: join(codexHome, "config.toml"),
    configExists: false,
    telemetry: { exporter: undefined },
    problems: [],
  });

  const claudeDir = join(machine.home, ".claude");
  assert.deepEqual(found["claude-code"], {
    name: "claude-code",
    displayName: "Claude Code",
    managed: true,
    detected: true,
    executable: join(machine.bin, "claude"),
    configDir: claudeDir,
    configPath: join(claudeDir, "settings.json"),
    configExists: false,
    telemetry: { exporter: undefined },
    problems: [
      `\`${join(machine.bin, "claude")} --version\` did not finish within ` +
      `${VERSION_TIMEOUT_MS / 1000} s.`,
    ],
  });

  assert.equal(found["gemini-cli"].detected, true);
  assert.equal(found["gemini-cli"].version, undefined);
  assert.deepEqual(found["gemini-cli"].problems, [
    `\`${join(machine.bin, "gemini")} --version\` exited with code 1: ` +
    "gemini: cannot find its bundle",
  ]);

  assert.deepEqual(found["copilot-cli"], {
    name: "copilot-cli",
    displayName: "GitHub Copilot CLI",
    managed: false,
    detected: true,
    configDir: join(machine.home, ".copilot"),
    configPath: join(machine.home, ".copilot", "settings.json"),
    configExists: true,
    problems: [],
  });
});

Deno.test("discover lists every agent, undetected ones included, in a fixed order", async () => {
  await using machine = await temporaryMachine();
  const host = machine.host();
  const found = await discoverHarnesses(
    { ...host, env: { ...host.env, PATH: machine.bin } },
    deps,
  );
  assert.deepEqual(found.map((harness) => [harness.name, harness.detected]), [
    ["codex", false],
    ["claude-code", false],
    ["gemini-cli", false],
    ["copilot-cli", false],
  ]);
  assert.equal(found[0].telemetry, undefined);
  assert.ok(found.every((harness) => harness.problems.length === 0));
});

Deno.test("a fake agent's version is parsed from its --version output", async () => {
  await using machine = await temporaryMachine();
  await fakeProgram(machine.bin, "claude", 'echo "1.0.33 (Claude Code)"');
  await fakeProgram(
    machine.bin,
    "copilot",
    'echo "GitHub Copilot CLI 0.0.328."; echo "Commit: 1a2b"',
  );
  await fakeProgram(machine.bin, "gemini", 'echo "no version here"');
  const found = byName(await discoverHarnesses(machine.host(), deps));
  assert.equal(found["claude-code"].version, "1.0.33");
  assert.equal(found["copilot-cli"].version, "0.0.328");
  assert.equal(found["gemini-cli"].version, undefined);
  assert.deepEqual(found["gemini-cli"].problems, [
    `\`${join(machine.bin, "gemini")} --version\` printed no version number: no version here`,
  ]);
});

Deno.test("Codex config states: invalid TOML, exporting to Beacon, exporting elsewhere", async () => {
  await using machine = await temporaryMachine();
  const codexHome = join(machine.home, ".codex");
  const host = machine.host();

  const path = await writeCodexConfig(codexHome, 'model = "o4"\n[otel\nexporter = "none"\n');
  let codex = (await discoverHarnesses(host, deps))[0];
  assert.equal(codex.configExists, true);
  assert.equal(codex.configParses, false);
  // The same line and column Codex itself reports ("config.toml:2:6: unclosed table").
  assert.match(codex.configError!, new RegExp(`^${escape(path)}:2:6: `));
  assert.equal(codex.telemetry, undefined);
  assert.deepEqual(codex.problems, [`Codex will not start: ${codex.configError}`]);

  await writeCodexConfig(
    codexHome,
    'model = "o4"\n\n[otel]\nexporter = { otlp-http = { endpoint = "http://127.0.0.1:4318/v1/logs", protocol = "binary" } }\n',
  );
  codex = (await discoverHarnesses(host, deps))[0];
  assert.equal(codex.configParses, true);
  assert.deepEqual(codex.telemetry, {
    exporter: "otlp-http",
    endpoint: "http://127.0.0.1:4318/v1/logs",
    pointsAtBeacon: true,
  });
  assert.deepEqual(codex.problems, []);

  await writeCodexConfig(
    codexHome,
    '[otel.exporter.otlp-http]\nendpoint = "https://otel.example.com/v1/logs"\nprotocol = "json"\n',
  );
  codex = (await discoverHarnesses(host, deps))[0];
  assert.deepEqual(codex.telemetry, {
    exporter: "otlp-http",
    endpoint: "https://otel.example.com/v1/logs",
    pointsAtBeacon: false,
  });
  assert.equal(codex.version, "0.169.0");
});

Deno.test("discover follows CODEX_HOME and CLAUDE_CONFIG_DIR", async () => {
  await using machine = await temporaryMachine();
  const codexHome = join(machine.root, "elsewhere", "codex");
  await writeCodexConfig(codexHome, '[otel]\nexporter = "statsig"\n');
  const claudeDir = join(machine.root, "elsewhere", "claude");
  await Deno.mkdir(claudeDir, { recursive: true });
  await Deno.writeTextFile(join(claudeDir, "settings.json"), "{}");
  const host = machine.host({ CODEX_HOME: codexHome, CLAUDE_CONFIG_DIR: claudeDir });
  const found = byName(await discoverHarnesses(host, { ...deps }));
  assert.equal(found.codex.configPath, join(codexHome, "config.toml"));
  assert.deepEqual(found.codex.telemetry, { exporter: "statsig" });
  assert.equal(found["claude-code"].detected, true);
  assert.equal(found["claude-code"].configExists, true);
  assert.equal(found["claude-code"].configDir, claudeDir);
});

Deno.test("a CODEX_HOME that does not exist is a problem (Codex refuses to start)", async () => {
  await using machine = await temporaryMachine();
  const missing = join(machine.root, "no-such-codex-home");
  const codex = (await discoverHarnesses(machine.host({ CODEX_HOME: missing }), deps))[0];
  assert.equal(codex.detected, true); // the program is on PATH
  assert.equal(codex.version, "0.169.0");
  assert.deepEqual(codex.problems, [
    `CODEX_HOME is set to "${missing}", which does not exist: Codex will not start until the ` +
    "folder is created or the variable is unset.",
  ]);
});

Deno.test("the collector's listen addresses decide pointsAtBeacon", async () => {
  await using machine = await temporaryMachine();
  await writeCodexConfig(
    join(machine.home, ".codex"),
    '[otel]\nexporter = { otlp-grpc = { endpoint = "http://127.0.0.1:14317" } }\n',
  );
  const fakeRun = () => Promise.resolve({ code: 0, stdout: "codex-cli 0.169.0\n", stderr: "" });
  const [mine] = await discoverHarnesses(machine.host(), { ...deps, run: fakeRun }, {
    beaconAddresses: ["127.0.0.1:14318", "127.0.0.1:14317"],
  });
  assert.equal(mine.telemetry?.pointsAtBeacon, true);
  const [other] = await discoverHarnesses(machine.host(), { ...deps, run: fakeRun });
  assert.equal(other.telemetry?.pointsAtBeacon, false);
});

Deno.test("skipVersion finds the programs without running them", async () => {
  await using machine = await temporaryMachine();
  const marker = join(machine.root, "ran");
  await fakeProgram(machine.bin, "claude", `echo ran > ${marker}; echo 1.0.0`);
  const found = byName(await discoverHarnesses(machine.host(), deps, { skipVersion: true }));
  assert.equal(found.codex.executable, join(machine.root, "codex-bin", "codex"));
  assert.equal(found.codex.version, undefined);
  assert.equal(found["claude-code"].executable, join(machine.bin, "claude"));
  assert.equal(found["claude-code"].version, undefined);
  assert.deepEqual(found["claude-code"].problems, []);
  assert.equal(await Deno.stat(marker).catch(() => undefined), undefined);
});

Deno.test("a short version deadline is honoured and named in the problem", async () => {
  await using machine = await temporaryMachine();
  const sleep = await whichOnRealPath("sleep");
  await fakeProgram(machine.bin, "gemini", `exec ${sleep} 60`);
  const found = byName(
    await discoverHarnesses(machine.host(), deps, { versionTimeoutMs: 250 }),
  );
  assert.deepEqual(found["gemini-cli"].problems, [
    `\`${join(machine.bin, "gemini")} --version\` did not finish within 250 ms.`,
  ]);
  assert.equal(dirname(found["gemini-cli"].executable!), machine.bin);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
