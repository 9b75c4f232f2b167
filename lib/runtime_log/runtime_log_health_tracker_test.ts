import assert from "node:assert/strict";
import { RuntimeLogHealthTracker } from "./runtime_log_health_tracker.ts";
import { RuntimeLogUnavailableError } from "./runtime_log_unavailable_error.ts";

const full = new RuntimeLogUnavailableError({
  path: "/l/r.jsonl",
  operation: "write",
  code: "ENOSPC",
});
const denied = new RuntimeLogUnavailableError({
  path: "/l/r.jsonl",
  operation: "open",
  code: "EACCES",
});

Deno.test("an incident is reported once when it begins and once when it ends", () => {
  let clock = 0;
  const tracker = new RuntimeLogHealthTracker(() => new Date(clock));
  const heard: string[] = [];
  tracker.onIncident((error) => heard.push(`incident ${error.code}`));
  const unsubscribe = tracker.onRecovered(({ error, since, until, failedAppends }) =>
    heard.push(`recovered ${error.code} ${since.getTime()}..${until.getTime()} ${failedAppends}`)
  );

  tracker.succeeded();
  assert.deepEqual(tracker.health(), { status: "ok" });
  clock = 10;
  tracker.failed(full, 3);
  clock = 20;
  tracker.failed(denied, 2);
  assert.deepEqual(tracker.health(), {
    status: "unavailable",
    error: denied,
    firstError: full,
    since: new Date(10),
    failedAppends: 5,
  });
  clock = 30;
  tracker.succeeded();
  tracker.succeeded();
  assert.deepEqual(tracker.health(), { status: "ok" });
  assert.deepEqual(heard, ["incident ENOSPC", "recovered ENOSPC 10..30 5"]);

  unsubscribe();
  tracker.failed(full, 1);
  tracker.succeeded();
  assert.deepEqual(heard, ["incident ENOSPC", "recovered ENOSPC 10..30 5", "incident ENOSPC"]);
});

Deno.test("a throwing listener does not stop the others", () => {
  const tracker = new RuntimeLogHealthTracker(() => new Date(0));
  let calls = 0;
  tracker.onIncident(() => {
    throw new Error("bug");
  });
  tracker.onIncident(() => calls++);
  tracker.failed(full, 1);
  assert.equal(calls, 1);
});
