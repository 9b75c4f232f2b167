import assert from "node:assert/strict";
import { diffManagedSettings, type Ownership } from "./diff_managed_settings.ts";
import { codexDesiredSettings } from "../harness/codex/codex_desired_settings.ts";
import { parsePolicy } from "../policy/parse_policy.ts";
import { parseToml } from "../toml/parse_toml.ts";
import type { TomlTable } from "../toml/toml_value.ts";
import { tomlValuesEqual } from "../toml/toml_values_equal.ts";

const policy = parsePolicy("version = 1\n", "test");
const desired = codexDesiredSettings(policy);

function table(text: string): TomlTable {
  const parsed = parseToml(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

const FOREIGN = `[otel]
environment = "production"
log_user_prompt = true
trace_exporter = "none"
exporter = { otlp-http = { endpoint = "https://otel.corp.example/v1/logs", protocol = "binary" } }
`;

Deno.test("a foreign exporter holds back the whole [otel] table: one conflict, no edits", () => {
  const previous: Ownership = {
    written: { "otel.environment": "dev" },
    originals: { "otel.environment": null },
  };
  const diff = diffManagedSettings({
    target: "config.toml",
    current: table(FOREIGN),
    desired,
    ownership: previous,
    takeOver: false,
  });
  assert.deepEqual(diff.edits, []);
  assert.deepEqual(diff.changes, []);
  assert.equal(diff.conflicts.length, 1);
  const [conflict] = diff.conflicts;
  assert.equal(conflict.key, "otel");
  assert.match(conflict.reason, /otel\.exporter sends to someone else's destination/);
  assert.ok(tomlValuesEqual(conflict.found, table(FOREIGN).otel), "found: the managed keys there");
  assert.equal((conflict.wanted as TomlTable).environment, "dev");
  // Nothing in the group is newly owned, not even `trace_exporter`, which is already as wanted;
  // what Beacon remembered before is kept for a later take-over or release.
  assert.deepEqual(diff.ownership, previous);
});

Deno.test("taking over a foreign [otel] table changes it as a whole", () => {
  const diff = diffManagedSettings({
    target: "config.toml",
    current: table(FOREIGN),
    desired,
    ownership: undefined,
    takeOver: true,
  });
  assert.deepEqual(diff.conflicts, []);
  assert.deepEqual(
    diff.edits.map((edit) => edit.path.join(".")),
    desired.map((setting) => setting.path.join(".")).filter((key) => key !== "otel.trace_exporter"),
  );
  const exporter = diff.changes.find((change) => change.key === "otel.exporter");
  assert.match(exporter?.note ?? "", /taking over: already set by someone else/);
  assert.equal(diff.ownership.originals["otel.environment"], "production");
});

Deno.test("a value Beacon wrote and someone changed is drift: written again, noted", () => {
  const written = Object.fromEntries(
    desired.map((setting) => [setting.path.join("."), setting.value!]),
  );
  const current = table(`[otel]
environment = "staging"
exporter = { otlp-http = { endpoint = "https://otel.corp.example/v1/logs", protocol = "binary" } }
`);
  const diff = diffManagedSettings({
    target: "config.toml",
    current,
    desired,
    ownership: { written, originals: {} },
    takeOver: false,
  });
  assert.deepEqual(diff.conflicts, [], "Beacon's own keys are not someone else's");
  assert.equal(diff.edits.length, desired.length, "everything is put back");
  const environment = diff.changes.find((change) => change.key === "otel.environment");
  assert.deepEqual(
    { ...environment },
    {
      action: "update",
      target: "config.toml",
      key: "otel.environment",
      before: "staging",
      after: "dev",
      note: "changed since Beacon wrote it",
    },
  );

  // Giving the file back: the user's later edit is theirs, a conflict of that key alone.
  const release = diffManagedSettings({
    target: "config.toml",
    current,
    desired: desired.map((setting) => ({ path: setting.path, value: undefined })),
    ownership: { written, originals: {} },
    takeOver: false,
    repairDrift: false,
  });
  assert.deepEqual(release.conflicts.map((conflict) => conflict.key).sort(), [
    "otel.environment",
    "otel.exporter",
  ]);
});
