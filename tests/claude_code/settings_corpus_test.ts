/**
 * Real-world Claude Code `settings.json` files (hooks, permissions, MCP servers, existing `env`
 * entries, comments, CRLF and tabs, a BOM, one line, empty) come out of Beacon's edit untouched
 * outside Beacon's keys, and give back byte for byte.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as v from "valibot";
import { editJson, type JsonEdit } from "../../lib/json/edit_json.ts";
import { parseJsonSettings } from "../../lib/json/parse_json_settings.ts";
import { claudeCodeDesiredSettings } from "../../lib/harness/claude_code/claude_code_desired_settings.ts";
import { planJsonSettings } from "../../lib/reconcile/plan_json_settings.ts";
import { realFileSystem } from "../../lib/reconcile/real_file_system.ts";
import { type Policy, PolicySchema } from "../../lib/policy/policy_schema.ts";
import type { TomlTable } from "../../lib/toml/toml_value.ts";

const CORPUS = new URL("../../fixtures/claude-code-settings/", import.meta.url);
const CORPUS_FILES = [...Deno.readDirSync(CORPUS)].map((entry) => entry.name).sort();
const POLICIES: Record<string, Policy> = {
  default: v.parse(PolicySchema, {}),
  "keep prompts, token, grpc": v.parse(PolicySchema, {
    content: { prompt: "keep" },
    collector: { token: "tok-0123456789abcdef=%" },
    harnesses: { "claude-code": { transport: "grpc" } },
  }),
};

async function planFor(name: string, policy: Policy) {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "settings.json");
  await Deno.copyFile(new URL(name, CORPUS), path);
  const text = await Deno.readTextFile(path);
  const step = await planJsonSettings({
    fs: realFileSystem,
    harness: "claude-code",
    path,
    desired: claudeCodeDesiredSettings(policy),
    ownership: {},
    takeOver: false,
  });
  return { text, step, path };
}

function parsed(text: string): TomlTable {
  const result = parseJsonSettings(text);
  assert.ok(result.ok, text);
  return result.value;
}

Deno.test("the corpus holds the shapes this test is about", () => {
  assert.deepEqual(CORPUS_FILES, [
    "bom-four-spaces-partial.json",
    "empty.json",
    "env-and-comments.json",
    "foreign-collector.json",
    "hooks-permissions.json",
    "mcp-servers-crlf-tabs.json",
    "no-env-unicode.json",
    "one-line.json",
  ]);
});

for (const [policyName, policy] of Object.entries(POLICIES)) {
  for (const name of CORPUS_FILES.filter((file) => file !== "foreign-collector.json")) {
    Deno.test(`${name} (${policyName}): only Beacon's env keys change, and they give back`, async () => {
      const { text, step } = await planFor(name, policy);
      assert.equal(step.conflicts.length, 0);
      assert.ok(step.edits.length > 0);
      const edited = editJson(text, step.edits);
      const before = parsed(text);
      const after = parsed(edited);

      // Everything but env is the same value; env's other keys too.
      const { env: envBefore = {}, ...restBefore } = before as { env?: TomlTable };
      const { env: envAfter = {}, ...restAfter } = after as { env?: TomlTable };
      assert.deepEqual(restAfter, restBefore);
      const beaconKeys = new Set(step.edits.map((edit) => edit.path[1]));
      for (const [key, value] of Object.entries(envBefore)) {
        if (!beaconKeys.has(key)) assert.deepEqual(envAfter[key], value, key);
      }
      for (const edit of step.edits) assert.equal(envAfter[edit.path[1]], edit.value);

      // The file's own layout stays.
      assert.equal(edited.startsWith("\uFEFF"), text.startsWith("\uFEFF"));
      if (text.includes("\r\n")) assert.ok(!/[^\r]\n/.test(edited), "CRLF kept");
      if (text.trim() !== "" && !text.trim().includes("\n")) {
        assert.equal(edited.trim().includes("\n"), false, "one line stays one line");
      }

      // Putting back the originals (and removing an env Beacon created) gives the same bytes.
      const giveBack: JsonEdit[] = step.edits.map((edit) => ({
        path: edit.path,
        value: step.originals[edit.path.join(".")] ?? undefined,
      }));
      if (!("env" in before)) giveBack.push({ path: ["env"], value: undefined });
      // An empty file comes back as an empty object here; its bytes come back whole through
      // the ownership record (tests/claude_code/give_back_test.ts).
      assert.equal(editJson(edited, giveBack), text === "" ? "{}\n" : text);

      // A second plan over the edited file has nothing to do.
      const dir = await Deno.makeTempDir();
      await Deno.writeTextFile(join(dir, "settings.json"), edited);
      const again = await planJsonSettings({
        fs: realFileSystem,
        harness: "claude-code",
        path: join(dir, "settings.json"),
        desired: claudeCodeDesiredSettings(policy),
        ownership: {},
        takeOver: false,
      });
      assert.deepEqual(again.changes, []);
    });
  }
}

Deno.test("telemetry sent to someone else's collector is one conflict and no edit", async () => {
  const { step } = await planFor("foreign-collector.json", POLICIES.default);
  assert.equal(step.edits.length, 0);
  assert.equal(step.conflicts.length, 1);
  assert.equal(step.conflicts[0].key, "env");
  assert.match(step.conflicts[0].reason, /OTEL_EXPORTER_OTLP_ENDPOINT/);
});

Deno.test("the token header is sent as written (Claude Code does not percent-decode)", async () => {
  const { text, step } = await planFor("empty.json", POLICIES["keep prompts, token, grpc"]);
  const env = parsed(editJson(text, step.edits)).env as TomlTable;
  assert.equal(
    env.OTEL_EXPORTER_OTLP_HEADERS,
    "authorization=Bearer tok-0123456789abcdef=%",
  );
  assert.equal(env.OTEL_LOG_USER_PROMPTS, "1");
});

Deno.test("a file that is not JSON is refused with file:line:column", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "settings.json");
  await Deno.writeTextFile(path, '{\n  "env": {\n    "A": \n  }\n}\n');
  await assert.rejects(
    planJsonSettings({
      fs: realFileSystem,
      harness: "claude-code",
      path,
      desired: claudeCodeDesiredSettings(POLICIES.default),
      ownership: {},
      takeOver: false,
    }),
    (error: Error) =>
      error.message.startsWith(`${path}:4:3: ValueExpected`) &&
      /not valid JSON/.test(error.message),
  );
});
