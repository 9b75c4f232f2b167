/**
 * One plan type, one text view, one JSON view, masking in one place: an endpoint plan holding
 * the collector token everywhere a step can hold it (a settings change, the token file's text,
 * a service definition's text and environment) and the `beacon apply` plan inside it are
 * rendered by the same two functions, and neither shows the token.
 */
import assert from "node:assert/strict";
import {
  type EndpointPlan,
  settingsPlanOf,
  summarizePlan,
  type TomlSettingsStep,
} from "../reconcile/plan.ts";
import { endpointPaths } from "../endpoint/endpoint_paths.ts";
import { renderPlan } from "./render_plan.ts";
import { planJson } from "./plan_json.ts";

const TOKEN = "collectorTokenDoNotPrint-4c1d9e";
const host = {
  home: "/home/ada",
  cwd: "/home/ada",
  systemRoot: "/",
  os: "linux",
  env: {},
  now: () => new Date("2026-01-01T00:00:00Z"),
};
const paths = endpointPaths("user", host);
const headers = { authorization: `Bearer ${TOKEN}` };
const config = "/home/ada/.codex/config.toml";

const settings: TomlSettingsStep = {
  kind: "toml-settings",
  harness: "codex",
  path: config,
  realPath: config,
  fingerprint: null,
  createMode: 0o600,
  edits: [{ path: ["otel", "exporter"], value: { "otlp-http": { headers } } }],
  changes: [{
    action: "create",
    target: config,
    key: "otel.exporter",
    after: { "otlp-http": { endpoint: "http://127.0.0.1:4318/v1/logs", headers } },
  }],
  conflicts: [],
  owned: { "otel.exporter": { "otlp-http": { headers } } },
  originals: { "otel.exporter": null },
  originalText: null,
};

const plan: EndpointPlan = {
  formatVersion: 1,
  policySource: "/home/ada/policy.toml",
  createdAt: "2026-01-01T00:00:00.000Z",
  endpoint: {
    mode: "user",
    paths,
    config: {
      formatVersion: 1,
      mode: "user",
      version: "0.0.0",
      policySource: "/home/ada/policy.toml",
      harnesses: ["codex"],
      includeCodexSpans: false,
      collectorUrl: "http://127.0.0.1:4318",
      runtimeLogPath: paths.runtimeLogPath,
      serviceManager: "detached",
    },
  },
  steps: [
    { kind: "folder", path: paths.stateDir, purpose: "endpoint state", mode: 0o700, exists: false },
    settings,
    {
      kind: "file",
      path: paths.tokenPath,
      purpose: "collector token",
      action: "create",
      after: `${TOKEN}\n`,
      mode: 0o600,
    },
    {
      kind: "service",
      manager: "detached",
      spec: {
        mode: "user",
        executable: "/usr/bin/beacon",
        args: ["collector", "run"],
        env: { BEACON_COLLECTOR_TOKEN: TOKEN },
        label: "dev.asymptote.beacon.collector",
        logFile: "/home/ada/.beacon/endpoint/logs/collector.log",
        workingDirectory: paths.stateDir,
      },
      changes: [
        {
          kind: "write-file",
          action: "create",
          path: `${paths.stateDir}/collector-service.json`,
          text: `{"token":"${TOKEN}"}`,
          mode: 0o600,
        },
        { kind: "start", manager: "detached" },
      ],
      restart: false,
    },
  ],
  warnings: [],
  notes: ["a note"],
};

Deno.test("the text and JSON views of an endpoint plan and of its apply plan never show the token", () => {
  for (
    const [what, shown] of [
      ["endpoint text", renderPlan(plan, { host, forceCommand: "beacon endpoint install" })],
      ["endpoint JSON", planJson(plan, { mask: true })],
      ["apply text", renderPlan(settingsPlanOf(plan))],
      ["apply JSON", planJson(settingsPlanOf(plan), { mask: true })],
    ] as const
  ) {
    assert.ok(!shown.includes(TOKEN), `${what} shows the token:\n${shown}`);
    assert.match(shown, /otel\.exporter/, `${what} shows the settings change`);
  }
});

Deno.test("one summary: the text footer and the JSON summary count every kind of step", () => {
  const summary = summarizePlan(plan);
  // folder + exporter key + token file + service definition + start
  assert.deepEqual(summary, { add: 5, change: 0, destroy: 0, conflicts: 0 });
  const text = renderPlan(plan, { host });
  assert.match(text, /^Plan: 5 to add, 0 to change, 0 to destroy\.$/m);
  assert.match(text, /^Mode: user \(runtime log: /m);
  assert.match(
    text,
    /^ {2}\+ \/home\/ada\/\.beacon\/endpoint\/collector\.token \(collector token\)$/m,
  );
  assert.match(text, /^ {2}\+ write ~\/\.beacon\/endpoint\/collector-service\.json$/m);
  const json = JSON.parse(planJson(plan, { mask: true }));
  assert.deepEqual(json.summary, summary);
  assert.deepEqual(json.plan.steps.map((step: { kind: string }) => step.kind), [
    "folder",
    "toml-settings",
    "file",
    "service",
  ]);
  assert.equal(json.plan.mode, "user");
});
