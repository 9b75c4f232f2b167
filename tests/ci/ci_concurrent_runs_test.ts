/**
 * Two CI runs at once on a machine whose installed endpoint listens on 127.0.0.1:4318: each run
 * gets its own port (never 4318), and each run's Codex events land only in its own log.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createCodexWorkspace, runCodexExec } from "../support/codex_cli.ts";
import { startMockModelProvider } from "../support/mock_model_provider.ts";
import { runBeacon } from "../support/beacon_bundle.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { readCiStateFile, readEvents } from "../support/ci_run.ts";

Deno.test("two concurrent ci runs and an endpoint on 4318: no collision, each run's events in its own log", async () => {
  await using workspace = await createCodexWorkspace();
  const endpointLog = join(workspace.root, "endpoint.jsonl");
  const endpointPolicy = join(workspace.root, "endpoint.toml");
  await Deno.writeTextFile(
    endpointPolicy,
    `version = 1\n[collector]\nlisten = "127.0.0.1:4318"\n[runtime_log]\npath = "${endpointLog}"\n`,
  );
  // The installed endpoint; if another process already holds 4318, that serves as well.
  let endpoint;
  try {
    endpoint = await startCollectorProcess({ policyPath: endpointPolicy, home: workspace.root });
  } catch {
    endpoint = undefined;
  }
  const provider = await startMockModelProvider({ shellCommand: "echo hi", finalAnswer: "ok" });
  try {
    const runs = await Promise.all(["a", "b"].map(async (name) => {
      const base = join(workspace.root, `run-${name}`);
      const start = await runBeacon(["ci", "start", "--base-dir", base, "--json"], {
        env: { HOME: workspace.root },
      });
      assert.equal(start.code, 0, start.stderr);
      return { name, base, outputs: JSON.parse(start.stdout) };
    }));
    const states = await Promise.all(
      runs.map((run) => readCiStateFile(run.outputs.outputs["state-path"])),
    );
    assert.notEqual(states[0].port, states[1].port);
    for (const state of states) assert.notEqual(state.port, 4318);

    const results = await Promise.all(runs.map(async (run) => {
      const codexHome = run.outputs.env.CODEX_HOME;
      const config = await Deno.readTextFile(join(codexHome, "config.toml"));
      await Deno.writeTextFile(
        join(codexHome, "config.toml"),
        `model = "mock-model"\nmodel_provider = "mock"\n` + config +
          `\n[model_providers.mock]\nname = "Mock"\nbase_url = "${provider.baseUrl}"\n` +
          `wire_api = "responses"\n`,
      );
      const codex = await runCodexExec({
        codexHome,
        cwd: workspace.cwd,
        prompt: `run ${run.name}`,
        env: { HOME: workspace.root },
      });
      assert.equal(codex.code, 0, codex.stderr);
      const finish = await runBeacon(
        ["ci", "finish", "--state", run.outputs.env.BEACON_CI_STATE, "--require", "session_start"],
        { env: { HOME: workspace.root } },
      );
      assert.equal(finish.code, 0, finish.stdout + finish.stderr);
      const events = await readEvents(run.outputs.outputs["log-path"]);
      return new Set(events.map((event) => event.session_id).filter(Boolean));
    }));
    assert.equal(results[0].size, 1, "one session in run a's log");
    assert.equal(results[1].size, 1, "one session in run b's log");
    assert.notDeepEqual([...results[0]], [...results[1]], "each run saw only its own session");
    if (endpoint) {
      const endpointText = await Deno.readTextFile(endpointLog).catch(() => "");
      assert.equal(endpointText, "", "nothing reached the endpoint's log");
    }
  } finally {
    await provider.close();
    await endpoint?.stop();
  }
});
