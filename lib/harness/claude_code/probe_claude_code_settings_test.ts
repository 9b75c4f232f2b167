import assert from "node:assert/strict";
import { join } from "node:path";
import { realFileSystem } from "../../reconcile/real_file_system.ts";
import { probeClaudeCodeSettings } from "./probe_claude_code_settings.ts";

async function probe(text: string) {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "settings.json");
  await Deno.writeTextFile(path, text);
  return { path, probe: await probeClaudeCodeSettings(path, realFileSystem) };
}

Deno.test("settings that send logs to Beacon's collector point at Beacon", async () => {
  const { probe: found } = await probe(JSON.stringify({
    env: {
      CLAUDE_CODE_ENABLE_TELEMETRY: "1",
      OTEL_LOGS_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
    },
  }));
  assert.deepEqual(found.telemetry, {
    exporter: "otlp",
    endpoint: "http://127.0.0.1:4318",
    pointsAtBeacon: true,
  });
});

Deno.test("a logs endpoint elsewhere wins over the shared one; telemetry off exports nothing", async () => {
  const { probe: elsewhere } = await probe(JSON.stringify({
    env: {
      CLAUDE_CODE_ENABLE_TELEMETRY: "true",
      OTEL_LOGS_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "https://otel.corp.example/v1/logs",
    },
  }));
  assert.equal(elsewhere.telemetry?.pointsAtBeacon, false);
  const { probe: off } = await probe(JSON.stringify({
    env: { OTEL_LOGS_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" },
  }));
  assert.deepEqual(off.telemetry, { exporter: undefined });
});

Deno.test("a file that is not JSON is named with line and column", async () => {
  const { path, probe: broken } = await probe('{\n  "env": {\n}');
  assert.equal(broken.configParses, false);
  assert.match(broken.configError ?? "", new RegExp(`^${path}:\\d+:\\d+: `));
});
