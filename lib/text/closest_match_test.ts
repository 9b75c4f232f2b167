import assert from "node:assert/strict";
import { closestMatch, editDistance } from "./closest_match.ts";

Deno.test("closestMatch suggests the nearest command for a typo", () => {
  assert.equal(closestMatch("aply", ["apply", "policy", "collector"]), "apply");
  assert.equal(closestMatch("polciy", ["apply", "policy"]), "policy");
  assert.equal(closestMatch("--forec", ["--force", "--plan"]), "--force");
});

Deno.test("closestMatch gives nothing when no candidate is plausible", () => {
  assert.equal(closestMatch("zzzzzz", ["apply", "policy"]), undefined);
  assert.equal(closestMatch("x", []), undefined);
});

Deno.test("editDistance counts a transposition as one edit", () => {
  assert.equal(editDistance("ab", "ba"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
});
