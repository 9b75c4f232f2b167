/**
 * The real Codex CLI 0.169.0 accepts, with `--strict-config`, every config file Beacon writes in
 * the golden cases (fixtures/reconcile/<case>/after.toml). Exporter endpoints are pointed at a
 * local OTLP sink first so that Codex's exporters have somewhere to deliver; nothing else in the
 * files changes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkCodexAcceptsConfig, createCodexWorkspace } from "./support/codex_cli.ts";
import { startMockModelProvider } from "./support/mock_model_provider.ts";
import { startCaptureServer } from "./support/otlp_capture_server.ts";

const FIXTURES = new URL("../fixtures/reconcile/", import.meta.url).pathname;

const cases = [...Deno.readDirSync(FIXTURES)]
  .map((entry) => entry.name)
  .filter((name) => {
    try {
      return Deno.statSync(join(FIXTURES, name, "after.toml")).isFile;
    } catch {
      return false;
    }
  })
  .sort();

Deno.test("the golden cases cover the files Codex must accept", () => {
  assert.ok(cases.length >= 12, `only ${cases.length} cases with after.toml`);
});

Deno.test("codex --strict-config accepts every config Beacon writes", async (t) => {
  const provider = await startMockModelProvider();
  const sink = await startCaptureServer();
  try {
    for (const name of cases) {
      await t.step(name, async () => {
        await using workspace = await createCodexWorkspace();
        const text = (await Deno.readTextFile(join(FIXTURES, name, "after.toml")))
          .replaceAll(/"https?:\/\/[^"]+"/g, (url) => {
            const path = new URL(url.slice(1, -1)).pathname;
            return `"http://127.0.0.1:${sink.port}${path === "/" ? "" : path}"`;
          });
        await workspace.writeConfig(text);
        const verdict = await checkCodexAcceptsConfig(workspace.codexHome, provider.baseUrl);
        assert.deepEqual(verdict, { accepted: true, message: "" }, `${name}:\n${text}`);
      });
    }
  } finally {
    await sink.close();
    await provider.close();
  }
});
