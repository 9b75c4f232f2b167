import assert from "node:assert/strict";
import { BEACON_EVENT_KINDS, type BeaconEvent } from "./beacon_event.ts";
import { BEACON_EVENT_JSON_SCHEMA, beaconEventJsonSchemaText } from "./beacon_event_json_schema.ts";
import { validateJsonSchema } from "./validate_json_schema.ts";

const SCHEMA_FILE = new URL("../../schemas/beacon-event.v1.schema.json", import.meta.url);
const schema = JSON.parse(Deno.readTextFileSync(SCHEMA_FILE));

Deno.test("schemas/beacon-event.v1.schema.json is what beacon_event_json_schema.ts prints", () => {
  assert.equal(
    Deno.readTextFileSync(SCHEMA_FILE),
    beaconEventJsonSchemaText(),
    "regenerate: deno run lib/events/beacon_event_json_schema.ts > schemas/beacon-event.v1.schema.json",
  );
});

Deno.test("the schema has one oneOf branch per TypeScript kind, in order", () => {
  assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  const kinds = schema.oneOf.map((branch: { $ref: string }) => {
    const target = schema.$defs[branch.$ref.replace("#/$defs/", "")];
    return target.properties.kind.const;
  });
  assert.deepEqual(kinds, [...BEACON_EVENT_KINDS]);
  for (const kind of BEACON_EVENT_KINDS) {
    const branch = schema.$defs[kind];
    assert.equal(branch.additionalProperties, false, kind);
    assert.ok(branch.required.includes("kind") && branch.required.includes("id"), kind);
  }
  assert.deepEqual(schema, JSON.parse(JSON.stringify(BEACON_EVENT_JSON_SCHEMA)));
});

const PROMPT: BeaconEvent = {
  schema_version: 1,
  id: "0123456789abcdef0123456789abcdef",
  time: "2026-11-25T11:42:42.500Z",
  harness: "codex",
  harness_version: "0.169.0",
  kind: "prompt",
  session_id: "s1",
  source_event: "codex.user_prompt",
  prompt: { mode: "drop", bytes: 5 },
};

Deno.test("a valid event passes; broken ones fail with a reason", () => {
  assert.deepEqual(validateJsonSchema(schema, PROMPT), []);
  const broken: [string, unknown][] = [
    ["extra field", { ...PROMPT, attributes: {} }],
    ["wrong version", { ...PROMPT, schema_version: 2 }],
    ["unknown kind", { ...PROMPT, kind: "other" }],
    ["bad id", { ...PROMPT, id: "xyz" }],
    ["time not UTC ms", { ...PROMPT, time: "2026-11-25T11:42:42Z" }],
    ["missing prompt", { ...PROMPT, prompt: undefined }],
    ["dropped content with text", { ...PROMPT, prompt: { mode: "drop", bytes: 5, text: "hello" } }],
    ["hashed content with text", {
      ...PROMPT,
      prompt: { mode: "hash", bytes: 5, sha256: "0".repeat(64), text: "hello" },
    }],
    ["kept content with a hash", {
      ...PROMPT,
      prompt: { mode: "keep", bytes: 5, sha256: "0".repeat(64) },
    }],
    ["unknown mode", { ...PROMPT, prompt: { mode: "encrypt", bytes: 5 } }],
    ["prompt_length as string", { ...PROMPT, prompt_length: "76" }],
    ["session_id missing", { ...PROMPT, session_id: undefined }],
  ];
  for (const [name, event] of broken) {
    const problems = validateJsonSchema(schema, JSON.parse(JSON.stringify(event)));
    assert.ok(problems.length > 0, name);
  }
});
