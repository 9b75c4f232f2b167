/** docs/events.md stays true: its examples validate, and it covers every kind and Codex event. */
import assert from "node:assert/strict";
import { BEACON_EVENT_KINDS } from "../../events/beacon_event.ts";
import { CODEX_LOG_EVENTS } from "./classify_codex_log_record.ts";
import { assertValidBeaconEvent } from "./classify_test_fixtures.ts";

const doc = Deno.readTextFileSync(new URL("../../../docs/events.md", import.meta.url));

function examples(): { kind: string }[] {
  const blocks = [...doc.matchAll(/^```jsonl?\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  return blocks.map((block) => JSON.parse(block));
}

Deno.test("docs/events.md: every example is a valid event, and every kind has one", () => {
  const found = examples();
  assert.ok(found.length >= BEACON_EVENT_KINDS.length);
  for (const event of found) assertValidBeaconEvent(event);
  assert.deepEqual(new Set(found.map((event) => event.kind)), new Set(BEACON_EVENT_KINDS));
});

Deno.test("docs/events.md: a section per kind, and the drop table names every Codex event", () => {
  for (const kind of BEACON_EVENT_KINDS) {
    assert.ok(doc.includes(`### \`${kind}\``) || doc.includes(`#### \`${kind}\``), kind);
  }
  const table = doc.slice(doc.indexOf("## What is dropped, and why"), doc.indexOf("## Versioning"));
  for (const [name, rule] of Object.entries(CODEX_LOG_EVENTS)) {
    assert.ok(table.includes(`\`${name}\``), name);
    if (rule.action === "keep") {
      for (const kind of rule.kinds) assert.ok(table.includes(`\`${kind}\``), `${name} -> ${kind}`);
    }
  }
});
