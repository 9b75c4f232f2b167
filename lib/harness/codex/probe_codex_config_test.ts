import assert from "node:assert/strict";
import type { FileSystem } from "../../reconcile/file_system.ts";
import { probeCodexConfig } from "./probe_codex_config.ts";

const PATH = "/home/ada/.codex/config.toml";

/** A read-only file system holding one file (text, bytes, or a read error). */
function oneFile(content: string | Uint8Array | Error | undefined): FileSystem {
  const unused = () => Promise.reject(new Error("not used by a read-only probe"));
  return {
    readFile: (path) => {
      if (path !== PATH || content === undefined) return Promise.resolve(undefined);
      if (content instanceof Error) return Promise.reject(content);
      return Promise.resolve(
        typeof content === "string" ? new TextEncoder().encode(content) : content,
      );
    },
    lstat: (path) =>
      Promise.resolve(
        path === PATH && content !== undefined
          ? { isFile: true, isSymlink: false, mode: 0o600 }
          : undefined,
      ),
    resolveTarget: (path) => Promise.resolve(path),
    listDir: () => Promise.resolve([]),
    ensureDir: unused,
    writeFileAtomic: unused,
    appendFile: unused,
    makeTempDir: unused,
    removeFile: unused,
    removeDir: unused,
    lock: unused,
  };
}

function exporting(value: string): string {
  return `model = "o4"\n\n[otel]\nenvironment = "dev"\nexporter = ${value}\n`;
}

Deno.test("a missing config: nothing is exported and nothing is wrong", async () => {
  assert.deepEqual(await probeCodexConfig(PATH, oneFile(undefined)), {
    configExists: false,
    telemetry: { exporter: undefined },
    problems: [],
  });
});

Deno.test("a config without [otel] parses and exports nothing", async () => {
  assert.deepEqual(await probeCodexConfig(PATH, oneFile('model = "o4"\n')), {
    configExists: true,
    configParses: true,
    telemetry: { exporter: undefined },
    problems: [],
  });
});

Deno.test("invalid TOML gives path:line:col and says Codex will not start", async () => {
  const probe = await probeCodexConfig(PATH, oneFile('model = "o4"\n[otel\n'));
  assert.equal(probe.configExists, true);
  assert.equal(probe.configParses, false);
  assert.match(probe.configError!, /^\/home\/ada\/\.codex\/config\.toml:2:\d+: \S/);
  assert.equal(probe.telemetry, undefined);
  assert.deepEqual(probe.problems, [`Codex will not start: ${probe.configError}`]);
});

Deno.test("a config that is not UTF-8 does not parse", async () => {
  const probe = await probeCodexConfig(PATH, oneFile(new Uint8Array([0x61, 0x3d, 0xff, 0x0a])));
  assert.equal(probe.configParses, false);
  assert.equal(probe.configError, `${PATH}: not valid UTF-8 text`);
});

Deno.test("an unreadable config is reported, not thrown", async () => {
  const probe = await probeCodexConfig(PATH, oneFile(new Deno.errors.PermissionDenied("denied")));
  assert.equal(probe.configExists, true);
  assert.equal(probe.configParses, undefined);
  assert.deepEqual(probe.problems, [`Cannot read "${PATH}": denied. Codex cannot read it either.`]);
});

Deno.test("an OTLP/HTTP exporter to the collector points at Beacon", async () => {
  const config = exporting(
    '{ otlp-http = { endpoint = "http://127.0.0.1:4318/v1/logs", protocol = "binary" } }',
  );
  assert.deepEqual(await probeCodexConfig(PATH, oneFile(config)), {
    configExists: true,
    configParses: true,
    telemetry: {
      exporter: "otlp-http",
      endpoint: "http://127.0.0.1:4318/v1/logs",
      pointsAtBeacon: true,
    },
    problems: [],
  });
});

Deno.test("the sub-table form and gRPC are read too", async () => {
  const subTable = 'model = "o4"\n[otel.exporter."otlp-http"]\n' +
    'endpoint = "https://otel.example.com/v1/logs"\nprotocol = "json"\n';
  assert.deepEqual((await probeCodexConfig(PATH, oneFile(subTable))).telemetry, {
    exporter: "otlp-http",
    endpoint: "https://otel.example.com/v1/logs",
    pointsAtBeacon: false,
  });
  const grpc = exporting('{ otlp-grpc = { endpoint = "http://127.0.0.1:4317" } }');
  assert.deepEqual((await probeCodexConfig(PATH, oneFile(grpc))).telemetry, {
    exporter: "otlp-grpc",
    endpoint: "http://127.0.0.1:4317",
    pointsAtBeacon: true,
  });
});

Deno.test("the policy's listen address decides what is Beacon", async () => {
  const config = exporting(
    '{ otlp-http = { endpoint = "http://127.0.0.1:9999/v1/logs", protocol = "binary" } }',
  );
  const ours = await probeCodexConfig(PATH, oneFile(config), {
    beaconAddresses: ["127.0.0.1:9999"],
  });
  assert.equal(ours.telemetry?.pointsAtBeacon, true);
  assert.equal((await probeCodexConfig(PATH, oneFile(config))).telemetry?.pointsAtBeacon, false);
});

Deno.test('"none" and "statsig" are exporters without an endpoint', async () => {
  for (const exporter of ["none", "statsig"]) {
    const probe = await probeCodexConfig(PATH, oneFile(exporting(`"${exporter}"`)));
    assert.deepEqual(probe.telemetry, { exporter });
    assert.deepEqual(probe.problems, []);
  }
});

Deno.test("exporter values Codex rejects are problems", async () => {
  const cases: [string, string, RegExp][] = [
    ['"otlp"', "otlp", /is "otlp", which Codex rejects .*Codex will not start/],
    ["42", "42", /is 42, which Codex rejects/],
    ['{ otlp_http = { endpoint = "x" } }', "otlp_http", /is otlp_http, which Codex rejects/],
    ['{ otlp-http = { protocol = "binary" } }', "otlp-http", /has no otlp-http\.endpoint/],
    [
      '{ otlp-http = { endpoint = "http://127.0.0.1:4318/v1/logs" } }',
      "otlp-http",
      /needs otlp-http\.protocol = "binary" or "json"/,
    ],
  ];
  for (const [value, exporter, problem] of cases) {
    const probe = await probeCodexConfig(PATH, oneFile(exporting(value)));
    assert.equal(probe.configParses, true, value);
    assert.equal(probe.telemetry?.exporter, exporter, value);
    assert.equal(probe.problems.length, 1, value);
    assert.match(probe.problems[0], problem, value);
    assert.ok(probe.problems[0].startsWith(`otel.exporter in "${PATH}" `), probe.problems[0]);
  }
});

Deno.test("an OTLP/HTTP endpoint at the collector without /v1/logs is a problem", async () => {
  const config = exporting(
    '{ otlp-http = { endpoint = "http://127.0.0.1:4318", protocol = "binary" } }',
  );
  const probe = await probeCodexConfig(PATH, oneFile(config));
  assert.equal(probe.telemetry?.pointsAtBeacon, true);
  assert.match(probe.problems[0], /exactly as written.*only at \/v1\/logs/);
});
