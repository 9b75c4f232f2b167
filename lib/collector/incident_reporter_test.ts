import assert from "node:assert/strict";
import { createIncidentReporter } from "./incident_reporter.ts";

Deno.test("createIncidentReporter writes the first of a burst per kind, then counts", () => {
  const lines: string[] = [];
  let now = 0;
  const report = createIncidentReporter((line) => lines.push(line), () => now, 1000);
  for (let i = 0; i < 500; i++) report("aborted", "a client went away");
  report("failed", "request failed: boom");
  now = 999;
  report("aborted", "a client went away");
  assert.deepEqual(lines, ["a client went away", "request failed: boom"]);
  now = 2000;
  report("aborted", "a client went away");
  assert.equal(lines[2], "a client went away (500 more since the last report)");
  now = 4000;
  report("aborted", "a client went away");
  assert.equal(lines[3], "a client went away");
});
