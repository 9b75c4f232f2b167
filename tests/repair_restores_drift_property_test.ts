/**
 * Property: `endpoint repair` repairs what `endpoint status` reports. Both start from the same
 * plan (status shows it as drift, repair applies it), so over random starting configs, random
 * installs (with or without taking over) and random drift of Beacon's settings afterwards, on
 * real files:
 *
 * - after repair, the plan has no changes left, and the only conflicts are the ones repair
 *   named (so repair "exits 0" exactly when status then finds nothing);
 * - once Beacon owns a setting, drift of it is never a conflict: repair writes it again;
 * - what is left is only someone else's destination that Beacon never took over, and the
 *   printed plan says it is left alone and never that the configuration matches the policy.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { computePlan } from "../lib/reconcile/compute_plan.ts";
import { applyPlan } from "../lib/reconcile/apply_plan.ts";
import { readOwnershipState } from "../lib/reconcile/ownership_store.ts";
import { realFileSystem } from "../lib/reconcile/real_file_system.ts";
import type { Plan, SettingsStep } from "../lib/reconcile/plan.ts";
import { codexAdapter } from "../lib/harness/codex/codex_adapter.ts";
import { parsePolicy } from "../lib/policy/parse_policy.ts";
import { editToml, type TomlEdit } from "../lib/toml/edit_toml.ts";
import type { TomlValue } from "../lib/toml/toml_value.ts";
import { renderPlan } from "../lib/cli/render_plan.ts";
import type { Host } from "../lib/host/host.ts";

const CORP_LOGS = {
  "otlp-http": { endpoint: "https://otel.corp.example/v1/logs", protocol: "binary" },
};
const CORP_GRPC = { "otlp-grpc": { endpoint: "https://otel.corp.example:4317" } };

/** Values someone may put at each managed path (undefined: removes it). */
const DRIFT: Record<string, (TomlValue | undefined)[]> = {
  "otel.environment": ["prod", "staging", undefined],
  "otel.log_user_prompt": [true, undefined],
  "otel.log_agent_responses": [true],
  "otel.log_guardian_assessments": [true, undefined],
  "otel.tool_result.max_bytes": [4096, undefined],
  "otel.exporter": [
    CORP_LOGS,
    { "otlp-http": { endpoint: "http://127.0.0.1:4318/v1/logs", protocol: "json" } },
    "none",
    undefined,
  ],
  "otel.trace_exporter": [CORP_GRPC, "statsig", undefined],
  "otel.metrics_exporter": [CORP_GRPC, "statsig", undefined],
};

const drift = fc.subarray(Object.keys(DRIFT), { minLength: 1 }).chain((keys) =>
  fc.tuple(...keys.map((key) => fc.constantFrom(...DRIFT[key]).map((value) => ({ key, value }))))
);

const BEFORE = [
  null, // no config file
  'model = "o3"\n',
  '# mine\nmodel = "o3"\n\n[otel]\nenvironment = "prod"\n',
  `[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://otel.corp.example/v1/logs", protocol = "binary" } }\n`,
  `[otel.metrics_exporter.otlp-grpc]\nendpoint = "https://otel.corp.example:4317"\n`,
];

const POLICIES = [
  "version = 1\n",
  'version = 1\n[harnesses.codex]\nenvironment = "ci"\ninclude_metrics = true\n',
  'version = 1\n[harnesses.codex]\ntransport = "http/json"\n[content]\nprompt = "redact"\n',
];

interface Scenario {
  before: string | null;
  policy: string;
  forceInstall: boolean;
  changes: { key: string; value: TomlValue | undefined }[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  before: fc.constantFrom(...BEFORE),
  policy: fc.constantFrom(...POLICIES),
  forceInstall: fc.boolean(),
  changes: drift,
});

async function check(s: Scenario) {
  const home = await Deno.makeTempDir({ prefix: "beacon-repair-property-" });
  try {
    const host: Host = {
      home,
      cwd: home,
      systemRoot: join(home, "root"),
      os: "linux",
      env: { HOME: home },
      now: () => new Date("2026-11-25T12:00:00Z"),
    };
    const fs = realFileSystem;
    const config = join(home, ".codex", "config.toml");
    const statePath = join(home, ".beacon", "endpoint", "state.json");
    const loaded = { policy: parsePolicy(s.policy, "policy.toml"), source: "p", origin: "user" };
    const plan = async (force: boolean) =>
      computePlan({
        loaded: loaded as Parameters<typeof computePlan>[0]["loaded"],
        host,
        fs,
        ownership: await readOwnershipState(fs, statePath),
        adapters: [codexAdapter],
        force,
      });
    const apply = async (p: Plan) =>
      applyPlan({ plan: p, fs, ownership: await readOwnershipState(fs, statePath), statePath });

    if (s.before !== null) {
      await Deno.mkdir(join(home, ".codex"));
      await Deno.writeTextFile(config, s.before);
    }
    const install = await plan(s.forceInstall);
    await apply(install);
    const ownedAll = install.steps.every((step) => step.conflicts.length === 0);

    // Someone edits Beacon's settings.
    const text = await Deno.readTextFile(config).catch(() => "");
    const edits: TomlEdit[] = s.changes.map(({ key, value }) => ({ path: key.split("."), value }));
    await Deno.mkdir(join(home, ".codex"), { recursive: true });
    await Deno.writeTextFile(config, editToml(text, edits));

    const status = await plan(false);
    const repair = await plan(false);
    assert.deepEqual(repair.steps, status.steps, "status shows what repair will do");
    await apply(repair);
    const after = await plan(false);

    const conflictKeys = (p: Plan<SettingsStep>) =>
      p.steps.flatMap((step) => step.conflicts.map((c) => c.key));
    assert.deepEqual(after.steps.flatMap((step) => step.changes), [], "nothing left to change");
    assert.deepEqual(conflictKeys(after), conflictKeys(repair), "left: what repair named");
    if (ownedAll) {
      assert.deepEqual(conflictKeys(repair), [], "drift of Beacon's own settings is repaired");
    }
    const text2 = renderPlan(repair);
    if (conflictKeys(repair).length) {
      assert.doesNotMatch(text2, /matches the policy/);
      assert.match(text2, /left alone/);
      assert.match(text2, /--force/);
    } else {
      assert.match(renderPlan(after), /The configuration matches the policy\./);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("repair repairs what status reports, over random drifts of Beacon's settings", async () => {
  await fc.assert(fc.asyncProperty(scenario, check), { numRuns: 150 });
});
