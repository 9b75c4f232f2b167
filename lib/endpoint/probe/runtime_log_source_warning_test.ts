import assert from "node:assert/strict";
import type { CollectorHealth } from "../../collector/collector_health.ts";
import { runtimeLogSourceWarning } from "./runtime_log_source_warning.ts";

const USER_LOG = "/home/ada/.beacon/endpoint/logs/runtime.jsonl";
const SYSTEM_LOG = "/var/log/beacon-agent/runtime.jsonl";

function health(mode: "user" | "system", path: string): CollectorHealth {
  return {
    service: "beacon-collector",
    status: "ok",
    version: "0.1.0",
    pid: 1,
    mode,
    started_at: "2026-11-25T11:00:00.000Z",
    listen: { http: "127.0.0.1:4318", grpc: null },
    token_required: false,
    runtime_log: { path, bytes: 0, archives: 0, last_write_at: null, error: null },
    counters: {
      requests: { logs: 0, traces: 0, metrics: 0 },
      eventsWritten: 0,
      recordsDropped: 0,
      recordsFromOtherServices: 0,
      recordsRejected: 0,
      unavailable: 0,
      lastEventAt: null,
    },
    requests: { aborted: 0, failed: 0 },
  };
}

Deno.test("no collector, or the same log, gives no warning", () => {
  assert.equal(runtimeLogSourceWarning({ readingPath: USER_LOG }), undefined);
  assert.equal(
    runtimeLogSourceWarning({ health: health("system", SYSTEM_LOG), readingPath: SYSTEM_LOG }),
    undefined,
  );
  assert.equal(
    runtimeLogSourceWarning({
      health: health("user", USER_LOG),
      readingPath: "/home/ada/.beacon/endpoint/../endpoint/logs//runtime.jsonl",
    }),
    undefined,
  );
});

Deno.test("a system collector while the per-user log is read", () => {
  assert.equal(
    runtimeLogSourceWarning({ health: health("system", SYSTEM_LOG), readingPath: USER_LOG }),
    "A system collector is running and writes events to /var/log/beacon-agent/runtime.jsonl; " +
      "this command is reading your per-user log " +
      "/home/ada/.beacon/endpoint/logs/runtime.jsonl, which receives nothing while the system " +
      "collector runs. Use --policy with the system policy, or read " +
      "/var/log/beacon-agent/runtime.jsonl.",
  );
});

Deno.test("a per-user collector while the system log is read", () => {
  assert.equal(
    runtimeLogSourceWarning({ health: health("user", USER_LOG), readingPath: SYSTEM_LOG }),
    "A per-user collector is running and writes events to " +
      "/home/ada/.beacon/endpoint/logs/runtime.jsonl; this command is reading the system log " +
      "/var/log/beacon-agent/runtime.jsonl, which receives nothing while the per-user collector " +
      "runs. Use --policy with your own policy, or read " +
      "/home/ada/.beacon/endpoint/logs/runtime.jsonl.",
  );
});

Deno.test("system paths under a test root are recognised; the caller's mode wins", () => {
  const rootedSystem = "/tmp/root/var/log/beacon-agent/runtime.jsonl";
  assert.match(
    runtimeLogSourceWarning({ health: health("user", USER_LOG), readingPath: rootedSystem })!,
    /^A per-user collector is running .* reading the system log \/tmp\/root\/var/,
  );
  assert.match(
    runtimeLogSourceWarning({
      health: health("system", SYSTEM_LOG),
      readingPath: "/srv/beacon/mine.jsonl",
      readingMode: "user",
    })!,
    /reading your per-user log \/srv\/beacon\/mine\.jsonl, which receives nothing/,
  );
});

Deno.test("a system collector while a policy's own log path is read", () => {
  assert.match(
    runtimeLogSourceWarning({
      health: health("system", SYSTEM_LOG),
      readingPath: "/srv/beacon/runtime.jsonl",
    })!,
    /^A system collector is running and writes events to \/var\/log\/beacon-agent\/runtime\.jsonl; this command is reading \/srv\/beacon\/runtime\.jsonl, which receives nothing/,
  );
});

Deno.test("any other mismatch: the collector runs with another policy", () => {
  assert.equal(
    runtimeLogSourceWarning({
      health: health("user", "/home/ada/beacon-logs/runtime.jsonl"),
      readingPath: USER_LOG,
    }),
    "The running user collector writes events to /home/ada/beacon-logs/runtime.jsonl, but this " +
      "command is reading /home/ada/.beacon/endpoint/logs/runtime.jsonl, which that collector " +
      "does not write. It was started with another policy: pass that policy with --policy, or " +
      "restart the collector with this one.",
  );
  assert.match(
    runtimeLogSourceWarning({
      health: health("system", "/srv/a.jsonl"),
      readingPath: SYSTEM_LOG,
    })!,
    /^The running system collector writes events to \/srv\/a\.jsonl, but this command is reading \/var/,
  );
});
