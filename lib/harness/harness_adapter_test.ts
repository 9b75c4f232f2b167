import assert from "node:assert/strict";
import type { HarnessPlan } from "./harness_adapter.ts";

Deno.test("a harness plans only settings steps: a folder step does not type-check as one", () => {
  const plan: HarnessPlan = {
    steps: [
      // @ts-expect-error: folders, files and the service are the endpoint's, not a harness's
      { kind: "folder", path: "/tmp/x", purpose: "runtime log", mode: 0o700, exists: false },
    ],
    warnings: [],
  };
  assert.equal(plan.steps.length, 1);
});
