import assert from "node:assert/strict";
import { join } from "node:path";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { faultyFileSystem } from "./support/faulty_file_system.ts";
import { readRuntimeLogRecords, temporaryFolder } from "./support/read_runtime_log.ts";

const CALLERS = 50;
const APPENDS_PER_CALLER = 200;

function payload(caller: number, seq: number): string {
  return `${caller}:${seq}:` + 'é~"\\'.repeat((caller * 31 + seq) % 40);
}

Deno.test("50 concurrent callers x 200 appends: every line once, intact, in order per caller, in far fewer syncs", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });

  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let seq = 0; seq < APPENDS_PER_CALLER; seq++) {
        await log.append([{ caller, seq, payload: payload(caller, seq) }]);
      }
    }),
  );
  await log.close();

  const records = await readRuntimeLogRecords(path);
  const appends = CALLERS * APPENDS_PER_CALLER;
  assert.equal(records.length, appends);
  const nextSeq = new Array<number>(CALLERS).fill(0);
  for (const record of records) {
    const caller = record.caller as number;
    assert.equal(record.seq, nextSeq[caller], `caller ${caller} out of order or duplicated`);
    assert.equal(record.payload, payload(caller, record.seq as number));
    nextSeq[caller]++;
  }
  assert.deepEqual(nextSeq, new Array(CALLERS).fill(APPENDS_PER_CALLER));

  // Group commit: one write and one sync per batch, never two in flight at once.
  const stats = log.stats();
  assert.equal(stats.appends, appends);
  assert.equal(files.counters.syncs, stats.batches);
  assert.ok(
    files.counters.syncs * 2 <= appends,
    `${files.counters.syncs} syncs for ${appends} appends: appends are not batched`,
  );
  assert.equal(files.counters.maxInFlight, 1);
});

Deno.test("appends made while a sync is in flight wait for it and go out together in the next batch", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });
  const syncStarted = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  files.faults.beforeSync = () => {
    syncStarted.resolve();
    return release.promise;
  };
  const settled: number[] = [];
  const first = log.append([{ n: 0 }]).then(() => settled.push(0));
  await syncStarted.promise;
  files.faults.beforeSync = null;
  const rest = Array.from(
    { length: 10 },
    (_, n) => log.append([{ n: n + 1 }]).then(() => settled.push(n + 1)),
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(settled, [], "nothing is acknowledged before its sync completes");
  release.resolve();
  await Promise.all([first, ...rest]);
  assert.equal(files.counters.syncs, 2, "the ten waiting appends share the second sync");
  assert.equal(log.stats().batches, 2);
  assert.deepEqual(settled, Array.from({ length: 11 }, (_, n) => n));
  assert.deepEqual(
    (await readRuntimeLogRecords(path)).map((record) => record.n),
    Array.from({ length: 11 }, (_, n) => n),
  );
  await log.close();
});
