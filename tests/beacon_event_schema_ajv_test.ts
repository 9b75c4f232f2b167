/**
 * The published event schema read by an independent JSON Schema 2020-12 implementation (Ajv):
 * every example in docs/events.md is valid, and what the schema forbids is refused. The
 * end-to-end tests check every runtime-log line they read the same way
 * (tests/support/beacon_event_schema.ts).
 */
import assert from "node:assert/strict";
import { BEACON_EVENT_KINDS } from "../lib/events/beacon_event.ts";
import { beaconEventSchemaErrors } from "./support/beacon_event_schema.ts";

const DOC = await Deno.readTextFile(new URL("../docs/events.md", import.meta.url));

/** Every ```json / ```jsonl block of docs/events.md, parsed, with the line it starts on. */
function docExamples(): { line: number; event: Record<string, unknown> }[] {
  return [...DOC.matchAll(/^```jsonl?\n([\s\S]*?)^```$/gm)].flatMap((match) => {
    const line = DOC.slice(0, match.index).split("\n").length + 1;
    const block = match[1];
    const events = match[0].startsWith("```jsonl")
      ? block.split("\n").filter(Boolean).map((text) => JSON.parse(text))
      : [JSON.parse(block)];
    return events.map((event) => ({ line, event }));
  });
}

Deno.test("Ajv (2020-12): every docs/events.md example is a valid event, every kind has one", () => {
  const examples = docExamples();
  for (const { line, event } of examples) {
    assert.deepEqual(beaconEventSchemaErrors(event), [], `docs/events.md:${line}`);
  }
  assert.deepEqual(
    new Set(examples.map(({ event }) => event.kind)),
    new Set(BEACON_EVENT_KINDS),
  );
});

Deno.test("Ajv (2020-12): events the schema forbids are refused", () => {
  const prompt = docExamples().find(({ event }) => event.kind === "prompt")!.event;
  assert.deepEqual(beaconEventSchemaErrors(prompt), []);
  const broken: [string, unknown][] = [
    ["not an object", [prompt]],
    ["extra field", { ...prompt, attributes: {} }],
    ["wrong version", { ...prompt, schema_version: 2 }],
    ["unknown kind", { ...prompt, kind: "other" }],
    ["bad id", { ...prompt, id: "xyz" }],
    ["time not UTC milliseconds", { ...prompt, time: "2026-11-25T11:42:42Z" }],
    ["missing prompt", { ...prompt, prompt: undefined }],
    ["dropped content with text", { ...prompt, prompt: { mode: "drop", bytes: 5, text: "x" } }],
    ["unknown content mode", { ...prompt, prompt: { mode: "encrypt", bytes: 5 } }],
    ["prompt_length as a string", { ...prompt, prompt_length: "76" }],
    ["session_id missing", { ...prompt, session_id: undefined }],
    ["another kind's field", { ...prompt, command: "ls" }],
    ["ci without provider", { ...prompt, ci: { run_id: "42" } }],
    ["ci with an unknown field", { ...prompt, ci: { provider: "local", token: "x" } }],
    ["ci actor as raw text", { ...prompt, ci: { provider: "local", actor: "ada" } }],
  ];
  for (const [name, event] of broken) {
    assert.notDeepEqual(beaconEventSchemaErrors(JSON.parse(JSON.stringify(event))), [], name);
  }
});
