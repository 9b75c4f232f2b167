import assert from "node:assert/strict";
import { beaconEventId } from "./beacon_event_id.ts";

Deno.test("beaconEventId: 32 hex characters, deterministic", () => {
  const id = beaconEventId(["codex", "codex.user_prompt", "s1", 1n]);
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(id, beaconEventId(["codex", "codex.user_prompt", "s1", 1n]));
});

Deno.test("beaconEventId: parts are encoded unambiguously", () => {
  assert.notEqual(beaconEventId(["ab", "c"]), beaconEventId(["a", "bc"]));
  assert.notEqual(beaconEventId(["1"]), beaconEventId([1]));
  assert.notEqual(beaconEventId([null]), beaconEventId(["null"]));
  assert.notEqual(beaconEventId([]), beaconEventId([null]));
  assert.equal(beaconEventId([undefined]), beaconEventId([null]));
  assert.equal(beaconEventId([12n]), beaconEventId(["12"]), "bigints are their decimal strings");
});
