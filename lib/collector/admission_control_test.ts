import assert from "node:assert/strict";
import { createAdmissionControl } from "./admission_control.ts";

Deno.test("admission: bodies share one budget; one request is always let in; release gives room back", () => {
  const admission = createAdmissionControl({
    maxBufferedBytes: 1000,
    maxRequestBytes: 800,
    memoryLimitBytes: 1e9,
    rss: () => 5e7,
  });
  const a = admission.admit(600);
  assert.deepEqual(a, { ok: true, bytes: 600 });
  assert.equal(admission.admit(600).ok, false);
  assert.equal(admission.admit(300).ok, true);
  assert.equal(admission.stats().bufferedBytes, 900);
  admission.release(600);
  admission.release(300);
  // No declared length: counted as the largest body.
  assert.deepEqual(admission.admit(undefined), { ok: true, bytes: 800 });
  assert.equal(admission.stats().refused.bufferedBytes, 1);
  const alone = createAdmissionControl({
    maxBufferedBytes: 10,
    maxRequestBytes: 800,
    memoryLimitBytes: 1e9,
    rss: () => 0,
  });
  assert.equal(alone.admit(500).ok, true, "a limit below one body still lets one through");
});

Deno.test("admission: past the memory limit every request is refused until memory falls", () => {
  let rss = 300e6;
  let now = 0;
  const admission = createAdmissionControl({
    maxBufferedBytes: 1e9,
    maxRequestBytes: 1e6,
    memoryLimitBytes: 256 * 1048576,
    rss: () => rss,
    now: () => now,
  });
  const refused = admission.admit(10);
  assert.equal(refused.ok, false);
  assert.match(!refused.ok ? refused.message : "", /memory limit of 256 MiB/);
  rss = 100e6;
  assert.equal(admission.admit(10).ok, false, "the sample is reused for 50 ms");
  now = 60;
  assert.equal(admission.admit(10).ok, true);
  assert.equal(admission.stats().refused.memory, 2);
});
