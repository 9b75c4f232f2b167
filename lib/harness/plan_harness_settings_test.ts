import assert from "node:assert/strict";
import { join } from "node:path";
import * as v from "valibot";
import { PolicySchema } from "../policy/policy_schema.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import type { OwnershipState } from "../reconcile/ownership_store.ts";
import type { SettingsStep } from "../reconcile/plan.ts";
import {
  type HarnessSettingsFile,
  planHarnessSettings,
  type PlanSettingsFile,
} from "./plan_harness_settings.ts";

const policy = v.parse(PolicySchema, {});
const LAYER_WARNING = { target: "/etc/harness/managed.json", message: "overrides the file" };

/** A harness whose planner records what it was asked, so the test sees the shared decisions. */
function recordingHarness(
  path: string,
  table: HarnessSettingsFile["table"],
): { file: HarnessSettingsFile; asked: Parameters<PlanSettingsFile>[0][] } {
  const asked: Parameters<PlanSettingsFile>[0][] = [];
  return {
    asked,
    file: {
      harness: "example",
      path,
      table,
      desiredSettings: () => [{ path: ["env", "OTEL_LOGS_EXPORTER"], value: "otlp" }],
      ownedKeyPath: (key) => key.split("/"),
      planFile: (input) => {
        asked.push(input);
        return Promise.resolve({ kind: "json-settings", path: input.path } as SettingsStep);
      },
      overrideLayers: () => Promise.resolve([LAYER_WARNING]),
    },
  };
}

function ownershipOf(realPath: string): OwnershipState {
  return {
    formatVersion: 1,
    files: {
      [realPath]: {
        written: { "env/OTEL_LOGS_EXPORTER": "otlp", "env/OTEL_METRICS_EXPORTER": "otlp" },
        originals: { "env/OTEL_LOGS_EXPORTER": "console", "env/OTEL_METRICS_EXPORTER": null },
      },
    },
  };
}

Deno.test("an enabled harness plans the policy's values and warns of its override layers", async () => {
  const { file, asked } = recordingHarness("/nowhere/settings.json", {
    enabled: true,
    on_conflict: "report",
  });
  const plan = await planHarnessSettings(
    { policy, fs: realFileSystem, ownership: { formatVersion: 1, files: {} }, force: false },
    file,
  );
  assert.equal(plan.steps.length, 1);
  assert.deepEqual(plan.warnings, [LAYER_WARNING]);
  assert.equal(asked.length, 1);
  assert.deepEqual(asked[0].desired, [{ path: ["env", "OTEL_LOGS_EXPORTER"], value: "otlp" }]);
  assert.equal(asked[0].release, undefined);
  assert.equal(asked[0].takeOver, false);
});

Deno.test("conflicts are taken over with --force or on_conflict = take_over, not otherwise", async () => {
  for (
    const [force, on_conflict, takeOver] of [
      [false, "report", false],
      [true, "report", true],
      [false, "take_over", true],
    ] as const
  ) {
    const { file, asked } = recordingHarness("/nowhere/settings.json", {
      enabled: true,
      on_conflict,
    });
    await planHarnessSettings(
      { policy, fs: realFileSystem, ownership: { formatVersion: 1, files: {} }, force },
      file,
    );
    assert.equal(asked[0].takeOver, takeOver, `force ${force}, on_conflict ${on_conflict}`);
  }
});

Deno.test("a disabled harness gives back each key Beacon wrote, found through a symlink", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const realPath = join(dir, "real-settings.json");
    const link = join(dir, "settings.json");
    await Deno.writeTextFile(realPath, "{}\n");
    await Deno.symlink(realPath, link);
    const { file, asked } = recordingHarness(link, { enabled: false, on_conflict: "report" });
    const plan = await planHarnessSettings(
      { policy, fs: realFileSystem, ownership: ownershipOf(realPath), force: false },
      file,
    );
    assert.equal(plan.steps.length, 1);
    assert.deepEqual(plan.warnings, [], "a harness given back has no override layers to warn of");
    assert.equal(asked[0].path, link);
    assert.equal(asked[0].release, true);
    assert.deepEqual(asked[0].desired, [
      { path: ["env", "OTEL_LOGS_EXPORTER"], value: "console" },
      { path: ["env", "OTEL_METRICS_EXPORTER"], value: undefined },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a disabled harness whose file Beacon does not own plans nothing", async () => {
  const { file, asked } = recordingHarness("/nowhere/settings.json", {
    enabled: false,
    on_conflict: "report",
  });
  const plan = await planHarnessSettings(
    {
      policy,
      fs: realFileSystem,
      ownership: ownershipOf("/elsewhere/settings.json"),
      force: false,
    },
    file,
  );
  assert.deepEqual(plan, { steps: [], warnings: [] });
  assert.equal(asked.length, 0);
});
