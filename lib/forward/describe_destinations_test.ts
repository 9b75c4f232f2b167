import assert from "node:assert/strict";
import * as v from "valibot";
import { PolicySchema } from "../policy/policy_schema.ts";
import { describeDestinations } from "./describe_destinations.ts";
import type { DestinationStatus } from "./start_forwarder.ts";

const policy = v.parse(PolicySchema, {
  forwarding: { failing_after_seconds: 600 },
  destinations: [{ name: "gw", endpoint: "https://gw.example.com", headers: {} }],
});

function status(extra: Partial<DestinationStatus>): DestinationStatus {
  return {
    name: "gw",
    endpoint: "https://gw.example.com/v1/logs",
    protocol: "http/protobuf",
    state: "failing",
    lag_events: 12,
    lag_bytes: 4000,
    lag_seconds: 700,
    last_success_at: null,
    last_error: { at: "2026-11-25T12:10:00.000Z", message: "HTTP 503" },
    failing_since: "2026-11-25T12:00:00.000Z",
    delivered: 0,
    rejected: 0,
    partially_rejected: 0,
    dropped: 0,
    retries: 9,
    ...extra,
  };
}

Deno.test("describeDestinations: failing longer than failing_after_seconds is a problem", () => {
  const health = { forwarding: { destinations: [status({})] } };
  const shortly = describeDestinations(policy, health, new Date("2026-11-25T12:05:00Z"));
  assert.deepEqual(shortly.problems, []);
  assert.match(shortly.lines.join("\n"), /gw: failing, 12 event\(s\) behind \(700 s\)/);
  const long = describeDestinations(policy, health, new Date("2026-11-25T12:11:00Z"));
  assert.equal(long.problems.length, 1);
  assert.match(long.problems[0], /has failed for 660 s .*failing_after_seconds = 600.*HTTP 503/);
});

Deno.test("describeDestinations: dropped events are a problem; no destinations, no section", () => {
  const health = {
    forwarding: { destinations: [status({ state: "caught_up", failing_since: null, dropped: 4 })] },
  };
  const report = describeDestinations(policy, health, new Date("2026-11-25T12:11:00Z"));
  assert.match(report.problems.join("\n"), /dropped 4 undelivered event\(s\)/);
  const none = describeDestinations(v.parse(PolicySchema, {}), health, new Date());
  assert.deepEqual(none, { destinations: [], lines: [], problems: [] });
});
