import assert from "node:assert/strict";
import * as v from "valibot";
import { PolicySchema } from "../policy/policy_schema.ts";
import type { FlatLogRecord } from "../otlp/flatten_log_records.ts";
import { forwardedBeaconEvent } from "./forwarded_beacon_event.ts";

const record = (body: unknown) => ({ body }) as unknown as FlatLogRecord;
const keepAll = v.parse(PolicySchema, {
  content: { prompt: "keep", tool_arguments: "keep", tool_output: "keep", agent_response: "keep" },
});

Deno.test("forwardedBeaconEvent gives back the event a forwarded record carries", () => {
  const event = {
    schema_version: 1,
    id: "e1",
    kind: "prompt",
    harness: "codex",
    session_id: null,
    prompt: { mode: "keep", bytes: 2, text: "hi" },
  };
  assert.deepEqual(forwardedBeaconEvent(record(JSON.stringify(event)), keepAll), event);
  // The receiver's stricter rule wins (the default policy drops prompts).
  assert.deepEqual(
    (forwardedBeaconEvent(record(JSON.stringify(event)), v.parse(PolicySchema, {})) as
      | { prompt?: unknown }
      | undefined)?.prompt,
    { mode: "drop", bytes: 2 },
  );
});

Deno.test("forwardedBeaconEvent drops what is not a version-1 Beacon event", () => {
  for (
    const body of [
      null,
      42,
      "not json",
      "[]",
      JSON.stringify({ schema_version: 2, id: "e", kind: "prompt" }),
      JSON.stringify({ schema_version: 1, kind: "prompt" }),
      JSON.stringify({ schema_version: 1, id: "e", kind: "nonsense" }),
    ]
  ) {
    assert.equal(forwardedBeaconEvent(record(body), keepAll), undefined, String(body));
  }
});
