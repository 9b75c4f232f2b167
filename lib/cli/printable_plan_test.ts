import assert from "node:assert/strict";
import type { Plan } from "../reconcile/plan.ts";
import { printablePlan } from "./printable_plan.ts";

const TOKEN = "s3cretTokenValue-0123456789";
const exporter = (token: string) => ({
  "otlp-http": { endpoint: "http://127.0.0.1:4318/v1/logs", headers: { "x-team": token } },
});

Deno.test("printablePlan keeps where and what changes, masks values, drops every raw field", () => {
  const plan: Plan = {
    formatVersion: 1,
    policySource: "p.toml",
    createdAt: "2026-01-01T00:00:00.000Z",
    warnings: [],
    steps: [{
      kind: "toml-settings",
      harness: "codex",
      path: "/h/.codex/config.toml",
      realPath: "/h/.codex/config.toml",
      fingerprint: null,
      createMode: 0o600,
      edits: [{ path: ["otel", "exporter"], value: exporter(TOKEN) }],
      changes: [{
        action: "update",
        target: "/h/.codex/config.toml",
        key: "otel.exporter",
        before: exporter(`old-${TOKEN}`),
        after: exporter(TOKEN),
      }],
      conflicts: [{
        target: "/h/.codex/config.toml",
        key: "otel.exporter.otlp-http.headers",
        found: { "x-team": TOKEN },
        wanted: { authorization: `Bearer ${TOKEN}` },
        reason: "someone else's",
      }],
      owned: { "otel.exporter": exporter(TOKEN) },
      originals: { "otel.exporter": exporter(`old-${TOKEN}`) },
      originalText: `[otel]\nexporter = { headers = { x-team = "old-${TOKEN}" } }\n`,
      restoreText: `x = "${TOKEN}"\n`,
    }],
  };
  const shown = printablePlan(plan);
  assert.ok(!JSON.stringify(shown).includes(TOKEN), JSON.stringify(shown, null, 2));
  const [step] = shown.steps;
  assert.ok(step.kind === "toml-settings");
  assert.deepEqual(Object.keys(step).sort(), [
    "changes",
    "conflicts",
    "createMode",
    "fingerprint",
    "harness",
    "kind",
    "path",
    "realPath",
  ]);
  assert.deepEqual(step.changes[0].after, exporter("****"));
  assert.deepEqual(step.conflicts[0].wanted, { authorization: "Bearer ****" });
});
