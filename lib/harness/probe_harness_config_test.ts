import assert from "node:assert/strict";
import { join } from "node:path";
import { parseJsonSettings } from "../json/parse_json_settings.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import { DEFAULT_BEACON_ADDRESSES } from "./points_at_beacon.ts";
import { type HarnessConfigFormat, probeHarnessConfig } from "./probe_harness_config.ts";

/** A made-up harness: JSON settings whose `logs` key is where it sends its logs. */
function exampleFormat(seen: { path?: string; addresses?: readonly string[] } = {}) {
  const format: HarnessConfigFormat = {
    displayName: "Example",
    parse: parseJsonSettings,
    whenUnparsed: "Example ignores these settings",
    describeTelemetry(value, { path, beaconAddresses }) {
      seen.path = path;
      seen.addresses = beaconAddresses;
      const logs = value["logs"];
      if (typeof logs !== "string") return { exporter: undefined };
      if (logs === "nowhere") return { exporter: "otlp", problem: `"${path}" sends nowhere.` };
      return { exporter: "otlp", endpoint: logs, pointsAtBeacon: logs.includes("127.0.0.1") };
    },
  };
  return format;
}

async function withFile(
  content: string | Uint8Array | undefined,
  run: (path: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "settings.json");
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else if (content) await Deno.writeFile(path, content);
    await run(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a missing file exports nothing and is no problem; a dangling symlink is named", async () => {
  await withFile(undefined, async (path) => {
    assert.deepEqual(await probeHarnessConfig(path, realFileSystem, {}, exampleFormat()), {
      configExists: false,
      telemetry: { exporter: undefined },
      problems: [],
    });
    const target = `${path}.gone`;
    await Deno.symlink(target, path);
    const dangling = await probeHarnessConfig(path, realFileSystem, {}, exampleFormat());
    assert.deepEqual(dangling.problems, [
      `"${path}" is a symlink to "${target}", which does not exist.`,
    ]);
  });
});

Deno.test("a file that cannot be read is a problem naming the harness, not a throw", async () => {
  const denied = { ...realFileSystem, readFile: () => Promise.reject(new Error("denied")) };
  const probe = await probeHarnessConfig("/x/settings.json", denied, {}, exampleFormat());
  assert.deepEqual(probe, {
    configExists: true,
    problems: ['Cannot read "/x/settings.json": denied. Example cannot read it either.'],
  });
});

Deno.test("a file that is not UTF-8 or does not parse says what the harness does with it", async () => {
  await withFile(new Uint8Array([0x7b, 0xff, 0x7d]), async (path) => {
    const probe = await probeHarnessConfig(path, realFileSystem, {}, exampleFormat());
    assert.equal(probe.configParses, false);
    assert.equal(probe.configError, `${path}: not valid UTF-8 text`);
    assert.deepEqual(probe.problems, [
      `Example ignores these settings: ${path}: not valid UTF-8 text.`,
    ]);
  });
  await withFile('{\n  "logs": \n}', async (path) => {
    const probe = await probeHarnessConfig(path, realFileSystem, {}, exampleFormat());
    assert.equal(probe.configParses, false);
    assert.match(probe.configError ?? "", new RegExp(`^${path}:3:1: \\S`));
    assert.deepEqual(probe.problems, [`Example ignores these settings: ${probe.configError}`]);
  });
});

Deno.test("a parsed file reports the harness's telemetry and its problem", async () => {
  await withFile('{ "logs": "http://127.0.0.1:4318/v1/logs" }', async (path) => {
    const seen: { path?: string; addresses?: readonly string[] } = {};
    const probe = await probeHarnessConfig(path, realFileSystem, {}, exampleFormat(seen));
    assert.deepEqual(probe, {
      configExists: true,
      configParses: true,
      telemetry: {
        exporter: "otlp",
        endpoint: "http://127.0.0.1:4318/v1/logs",
        pointsAtBeacon: true,
      },
      problems: [],
    });
    assert.equal(seen.path, path);
    assert.deepEqual(seen.addresses, DEFAULT_BEACON_ADDRESSES, "the collector's defaults");
    await probeHarnessConfig(
      path,
      realFileSystem,
      { beaconAddresses: ["127.0.0.1:9"] },
      exampleFormat(seen),
    );
    assert.deepEqual(seen.addresses, ["127.0.0.1:9"], "the policy's listen addresses");
  });
  await withFile('{ "logs": "nowhere" }', async (path) => {
    const probe = await probeHarnessConfig(path, realFileSystem, {}, exampleFormat());
    assert.deepEqual(probe.telemetry, { exporter: "otlp" }, "no endpoint: the exporter alone");
    assert.deepEqual(probe.problems, [`"${path}" sends nowhere.`]);
  });
});
