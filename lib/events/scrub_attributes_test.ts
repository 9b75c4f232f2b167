import assert from "node:assert/strict";
import * as v from "valibot";
import { type Policy, PolicySchema } from "../policy/policy_schema.ts";
import { contentKindOfAttribute, scrubAttributes, scrubFlatValue } from "./scrub_attributes.ts";

const policy = (content: Record<string, unknown> = {}): Policy =>
  v.parse(PolicySchema, { content });

Deno.test("contentKindOfAttribute: content names by their last segment or word", () => {
  const cases: [string, string | undefined][] = [
    ["prompt", "prompt"],
    ["gen_ai.prompt", "prompt"],
    ["cwd", "tool_arguments"],
    ["tool.arguments", "tool_arguments"],
    ["process.command", "tool_arguments"],
    ["exec.stdout", "tool_output"],
    ["error.message", "tool_output"],
    ["rationale", "agent_response"],
    ["user.email", "identity"],
    ["user.account_id", "identity"],
    ["prompt_length", undefined],
    ["duration_ms", undefined],
    ["tool_name", undefined],
    ["code.file.path", undefined],
    ["api.path", undefined],
    ["conversation.id", undefined],
  ];
  for (const [name, kind] of cases) assert.equal(contentKindOfAttribute(name), kind, name);
});

Deno.test("scrubAttributes: content goes through its rule, metadata strings are scrubbed", () => {
  const attributes = {
    cwd: "/home/ada/project",
    prompt: "hi",
    "user.email": "ada@example.com",
    command: ["bash", "-lc", "export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    item_count: 3,
    prompt_length: 2,
    note: "DB_PASSWORD=hunter2",
    nested: { deep: ["Bearer abcdefghijklmnopqrstuvwxyz012345"] },
  };
  const out = scrubAttributes(attributes, policy());
  assert.deepEqual(out.attributes, {
    item_count: 3,
    prompt_length: 2,
    note: "DB_PASSWORD=[REDACTED:secret]",
    nested: { deep: ["Bearer [REDACTED:bearer-token]"] },
  });
  assert.equal(out.content?.cwd.mode, "redact");
  assert.equal(out.content?.cwd.text, "/home/ada/project");
  assert.deepEqual(out.content?.prompt, { mode: "drop", bytes: 2 });
  assert.equal(out.content?.["user.email"].mode, "hash");
  assert.equal(out.content?.command.mode, "redact");
  assert.ok(!out.content?.command.text?.includes("ghp_"));
  const dropped = scrubAttributes(attributes, policy({ tool_arguments: "drop" }));
  assert.deepEqual(dropped.content?.cwd, { mode: "drop", bytes: 17 });
  assert.ok(!JSON.stringify(dropped).includes("/home/ada"));
});

Deno.test("scrubAttributes: no content, no content key; numbers under content names stay metadata", () => {
  assert.deepEqual(scrubAttributes({ output: 3, n: 1 }, policy()), {
    attributes: { output: 3, n: 1 },
  });
});

Deno.test("scrubFlatValue: every string at every depth, keys included", () => {
  assert.deepEqual(
    scrubFlatValue({ "password=hunter22": ["ok", { k: "token=abcdef123456" }], n: null }),
    { "password=[REDACTED:secret]": ["ok", { k: "token=[REDACTED:secret]" }], n: null },
  );
});
