import assert from "node:assert/strict";
import type { Change, Plan, SettingsStep } from "../reconcile/plan.ts";
import { setAsideTokenChanges } from "./set_aside_token_changes.ts";

const PH = "beacon-placeholder-token-1";

function planOf(changes: Change[]): Plan<SettingsStep> {
  return {
    formatVersion: 1,
    policySource: "p.toml",
    createdAt: "",
    warnings: [],
    steps: [{
      kind: "toml-settings",
      harness: "codex",
      path: "config.toml",
      realPath: "config.toml",
      fingerprint: null,
      createMode: 0o600,
      edits: [],
      changes,
      conflicts: [],
      owned: {},
      originals: {},
    }],
  };
}

const exporter = (endpoint: string, authorization: string) => ({
  "otlp-http": { endpoint, protocol: "binary", headers: { authorization } },
});

Deno.test("setAsideTokenChanges: a setting equal but for the token is not checked, not drift", () => {
  const change: Change = {
    action: "update",
    target: "config.toml",
    key: "otel.exporter",
    before: exporter("http://127.0.0.1:4318/v1/logs", "Bearer real-token_1"),
    after: exporter("http://127.0.0.1:4318/v1/logs", `Bearer ${PH}`),
  };
  const { drift, notChecked } = setAsideTokenChanges(planOf([change]), PH);
  assert.deepEqual(drift.steps[0].changes, []);
  assert.deepEqual(notChecked, [{ harness: "codex", target: "config.toml", key: "otel.exporter" }]);
});

Deno.test("setAsideTokenChanges: anything else that differs stays drift", () => {
  const cases: Change[] = [
    // Another address: drift whatever the token.
    {
      action: "update",
      target: "config.toml",
      key: "otel.exporter",
      before: exporter("http://127.0.0.1:9999/v1/logs", "Bearer real"),
      after: exporter("http://127.0.0.1:4318/v1/logs", `Bearer ${PH}`),
    },
    // No header at all, or an empty token.
    {
      action: "update",
      target: "config.toml",
      key: "otel.exporter",
      before: { "otlp-http": { endpoint: "http://127.0.0.1:4318/v1/logs", protocol: "binary" } },
      after: exporter("http://127.0.0.1:4318/v1/logs", `Bearer ${PH}`),
    },
    {
      action: "update",
      target: "config.toml",
      key: "otel.exporter",
      before: exporter("http://127.0.0.1:4318/v1/logs", "Bearer "),
      after: exporter("http://127.0.0.1:4318/v1/logs", `Bearer ${PH}`),
    },
    // Missing: created.
    {
      action: "create",
      target: "config.toml",
      key: "otel.exporter",
      after: exporter("http://127.0.0.1:4318/v1/logs", `Bearer ${PH}`),
    },
    // Not about the token.
    { action: "update", target: "config.toml", key: "otel.environment", before: "a", after: "b" },
  ];
  for (const change of cases) {
    const { drift, notChecked } = setAsideTokenChanges(planOf([change]), PH);
    assert.deepEqual(drift.steps[0].changes, [change], JSON.stringify(change));
    assert.deepEqual(notChecked, []);
  }
});

Deno.test("setAsideTokenChanges: Claude Code's header string, token in the middle", () => {
  const change: Change = {
    action: "update",
    target: "settings.json",
    key: "env.OTEL_EXPORTER_OTLP_HEADERS",
    before: "authorization=Bearer abc",
    after: `authorization=Bearer ${PH}`,
  };
  assert.equal(setAsideTokenChanges(planOf([change]), PH).notChecked.length, 1);
  const other = { ...change, before: "x-other=Bearer abc" };
  assert.equal(setAsideTokenChanges(planOf([other]), PH).notChecked.length, 0);
});
