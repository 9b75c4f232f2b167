import assert from "node:assert/strict";
import fc from "fast-check";
import { batchWaitMs, type PendingBatch } from "./batch_wait_ms.ts";

const open = { events: 3, maxEvents: 1000, moreInLog: false, live: true, delayMs: 1000 };

Deno.test("batchWaitMs: a batch that is not full waits out batch_delay_ms from when it was first seen", () => {
  assert.equal(batchWaitMs({ ...open, waitingSince: null, now: 5_000 }), 1000);
  assert.equal(batchWaitMs({ ...open, waitingSince: 5_000, now: 5_200 }), 800);
  assert.equal(batchWaitMs({ ...open, waitingSince: 5_000, now: 6_000 }), 0);
  assert.equal(batchWaitMs({ ...open, waitingSince: 5_000, now: 9_000 }), 0);
});

Deno.test("batchWaitMs: full by events or by bytes, from an archive, or with no delay: now", () => {
  const at = { waitingSince: null, now: 5_000 };
  assert.equal(batchWaitMs({ ...open, ...at, events: 1000 }), 0);
  assert.equal(batchWaitMs({ ...open, ...at, moreInLog: true }), 0);
  assert.equal(batchWaitMs({ ...open, ...at, live: false }), 0);
  assert.equal(batchWaitMs({ ...open, ...at, delayMs: 0 }), 0);
});

const batch: fc.Arbitrary<PendingBatch> = fc.record({
  events: fc.integer({ min: 1, max: 2000 }),
  maxEvents: fc.integer({ min: 1, max: 1000 }),
  moreInLog: fc.boolean(),
  live: fc.boolean(),
  delayMs: fc.integer({ min: 0, max: 60_000 }),
  waited: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: null }),
  now: fc.integer({ min: 1e6, max: 2e6 }),
}).map(({ waited, ...rest }) => ({
  ...rest,
  waitingSince: waited === null ? null : rest.now - waited,
}));

Deno.test("batchWaitMs: never longer than batch_delay_ms, never sooner than full, and shrinking with time", () => {
  fc.assert(
    fc.property(batch, fc.integer({ min: 0, max: 120_000 }), (pending, later) => {
      const wait = batchWaitMs(pending);
      assert.ok(wait >= 0 && wait <= pending.delayMs);
      const full = pending.events >= pending.maxEvents || pending.moreInLog || !pending.live;
      if (full) assert.equal(wait, 0);
      const since = pending.waitingSince ?? pending.now;
      if (!full && pending.now < since + pending.delayMs) {
        assert.equal(wait, since + pending.delayMs - pending.now, "waits out the rest exactly");
      }
      const next = batchWaitMs({ ...pending, waitingSince: since, now: pending.now + later });
      assert.equal(next, Math.max(0, wait - later));
    }),
  );
});
