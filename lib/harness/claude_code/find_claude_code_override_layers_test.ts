import assert from "node:assert/strict";
import { join } from "node:path";
import { realFileSystem } from "../../reconcile/real_file_system.ts";
import { findClaudeCodeOverrideLayers } from "./find_claude_code_override_layers.ts";

async function machine(cwdIsHome: boolean) {
  const home = await Deno.makeTempDir();
  const cwd = cwdIsHome ? home : join(home, "project");
  const root = join(home, "root");
  const telemetry = JSON.stringify({ env: { OTEL_LOGS_EXPORTER: "none", EDITOR: "vim" } });
  await Deno.mkdir(join(cwd, ".claude"), { recursive: true });
  await Deno.writeTextFile(join(cwd, ".claude", "settings.local.json"), telemetry);
  await Deno.writeTextFile(join(cwd, ".claude", "settings.json"), telemetry);
  await Deno.mkdir(join(root, "etc", "claude-code"), { recursive: true });
  await Deno.writeTextFile(join(root, "etc", "claude-code", "managed-settings.json"), telemetry);
  return { home, cwd, systemRoot: root, os: "linux", env: {}, now: () => new Date() };
}

Deno.test("managed settings and project settings that set telemetry are named", async () => {
  const host = await machine(false);
  const warnings = await findClaudeCodeOverrideLayers(host, realFileSystem, "user");
  assert.deepEqual(warnings.map((warning) => warning.target), [
    join(host.systemRoot, "etc", "claude-code", "managed-settings.json"),
    join(host.cwd, ".claude", "settings.json"),
    join(host.cwd, ".claude", "settings.local.json"),
  ]);
  assert.match(warnings[1].message, /^sets OTEL_LOGS_EXPORTER, which overrides/);
});

Deno.test("run from the home folder, the user's own settings.json is no override layer", async () => {
  const host = await machine(true);
  const warnings = await findClaudeCodeOverrideLayers(host, realFileSystem, "user");
  assert.ok(
    !warnings.some((warning) => warning.target === join(host.home, ".claude", "settings.json")),
  );
  // In system mode the managed file is Beacon's own, and never an override of itself.
  const system = await findClaudeCodeOverrideLayers(host, realFileSystem, "system");
  assert.ok(!system.some((warning) => warning.target.endsWith("managed-settings.json")));
});
