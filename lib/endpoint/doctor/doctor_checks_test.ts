import assert from "node:assert/strict";
import { doctorChecks, type DoctorInput } from "./doctor_checks.ts";
import type { HarnessDiscovery } from "../probe/discover_harnesses.ts";
import type { CollectorHealth } from "../../collector/collector_health.ts";

const CLAUDE: HarnessDiscovery = {
  name: "claude-code",
  displayName: "Claude Code",
  managed: true,
  detected: true,
  configPath: "/home/ada/.claude/settings.json",
  configExists: true,
  configParses: true,
  telemetry: { exporter: "otlp", endpoint: "http://127.0.0.1:4318", pointsAtBeacon: true },
  problems: [],
};

function input(overrides: Partial<DoctorInput> = {}): DoctorInput {
  return {
    harnesses: ["claude-code"],
    discovery: [CLAUDE],
    plan: { formatVersion: 1, policySource: "test", createdAt: "", steps: [], warnings: [] },
    probe: {
      reachable: true,
      health: {
        status: "ok",
        pid: 42,
        runtime_log: { path: "/home/ada/.beacon/endpoint/logs/runtime.jsonl", error: null },
      } as unknown as CollectorHealth,
      tokenCheck: "ok",
      latencyMs: 1,
    },
    collectorUrl: "http://127.0.0.1:4318",
    logPath: "/home/ada/.beacon/endpoint/logs/runtime.jsonl",
    lastEvents: new Map([["claude-code", "2026-12-06T15:41:18.253Z"]]),
    ...overrides,
  };
}

const byName = (checks: ReturnType<typeof doctorChecks>) =>
  Object.fromEntries(checks.map((check) => [check.name, check]));

Deno.test("a healthy endpoint passes every named check", () => {
  const checks = doctorChecks(input());
  assert.deepEqual(checks.map((check) => check.name), [
    "claude-code: config parses",
    "claude-code: configured as the policy wants",
    "claude-code: points at Beacon",
    "claude-code: events arriving",
    "collector answers",
    "token matches",
    "log writable",
    "override layers",
  ]);
  assert.ok(checks.every((check) => check.status === "ok"), JSON.stringify(checks));
});

Deno.test("each failure is named with what --fix would do", () => {
  const checks = byName(doctorChecks(input({
    discovery: [{ ...CLAUDE, telemetry: { exporter: undefined } }],
    plan: {
      formatVersion: 1,
      policySource: "test",
      createdAt: "",
      steps: [{
        kind: "json-settings",
        harness: "claude-code",
        path: CLAUDE.configPath!,
        realPath: CLAUDE.configPath!,
        fingerprint: null,
        createMode: 0o600,
        edits: [],
        changes: [{ action: "create", target: CLAUDE.configPath!, key: "env.OTEL_LOGS_EXPORTER" }],
        conflicts: [],
        owned: {},
        originals: {},
      }],
      warnings: [{ target: "/repo/.claude/settings.json", message: "sets OTEL_LOGS_EXPORTER" }],
    },
    probe: { reachable: false, error: "connection refused", tokenCheck: "unknown", latencyMs: 0 },
    lastEvents: new Map(),
  })));
  assert.equal(checks["claude-code: configured as the policy wants"].status, "fail");
  assert.match(checks["claude-code: configured as the policy wants"].fix!, /write the 1 value/);
  assert.equal(checks["claude-code: points at Beacon"].status, "fail");
  assert.equal(checks["claude-code: events arriving"].status, "warn");
  assert.equal(checks["collector answers"].status, "fail");
  assert.match(checks["collector answers"].fix!, /start the collector/);
  assert.equal(checks["token matches"].status, "skip");
  assert.equal(checks["override layers"].status, "warn");
});

Deno.test("a config that does not parse is a failure --fix cannot mend", () => {
  const checks = byName(doctorChecks(input({
    discovery: [{
      ...CLAUDE,
      configParses: false,
      configError: "settings.json:3:1: ValueExpected",
    }],
  })));
  assert.equal(checks["claude-code: config parses"].status, "fail");
  assert.match(checks["claude-code: config parses"].fix!, /^none/);
});
