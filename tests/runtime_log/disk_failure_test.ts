import assert from "node:assert/strict";
import { join } from "node:path";
import {
  openRuntimeLog,
  type RuntimeLog,
  type RuntimeLogRecovery,
  RuntimeLogUnavailableError,
} from "../../lib/runtime_log/open_runtime_log.ts";
import { tornFragmentPath } from "../../lib/runtime_log/repair_torn_tail.ts";
import { faultyFileSystem } from "./support/faulty_file_system.ts";
import { readRuntimeLogLines, temporaryFolder } from "./support/read_runtime_log.ts";

/** Records what the log reported, to check each incident is reported exactly once. */
function listen(log: RuntimeLog) {
  const incidents: RuntimeLogUnavailableError[] = [];
  const recoveries: RuntimeLogRecovery[] = [];
  log.onIncident((error) => incidents.push(error));
  log.onRecovered((recovery) => recoveries.push(recovery));
  return { incidents, recoveries };
}

/** The rejection of `promise`, which must be a retryable RuntimeLogUnavailableError. */
async function unavailable(promise: Promise<void>): Promise<RuntimeLogUnavailableError> {
  const error = await promise.then(
    () => assert.fail("expected the append to be rejected"),
    (e) => e,
  );
  assert.ok(error instanceof RuntimeLogUnavailableError, `got ${error}`);
  assert.equal(error.retryable, true);
  return error;
}

Deno.test("disk full with short writes: appends reject retryable, one incident, no torn line, automatic recovery", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });
  const heard = listen(log);
  await log.append([{ n: "good-1" }, { n: "good-2" }]);

  // Each failing batch lands 20 bytes (one whole line and part of the next) before ENOSPC.
  files.faults.write = { code: "ENOSPC", land: 20 };
  const concurrent = Array.from(
    { length: 30 },
    (_, i) => unavailable(log.append([{ n: `bad-${i}` }])),
  );
  for (const error of await Promise.all(concurrent)) {
    assert.equal(error.code, "ENOSPC");
    assert.equal(error.operation, "write");
    assert.match(error.message, /disk is full/);
  }
  for (let i = 0; i < 10; i++) await unavailable(log.append([{ n: `bad-seq-${i}` }]));

  assert.equal(heard.incidents.length, 1, "one incident, not one report per request");
  assert.equal(heard.incidents[0].code, "ENOSPC");
  const health = log.health();
  assert.equal(health.status, "unavailable");
  assert.equal(health.status === "unavailable" && health.failedAppends, 40);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":"good-1"}', '{"n":"good-2"}']);
  assert.ok(files.counters.truncates >= 1, "the landed bytes were cut back");

  files.faults.write = null; // space is back
  await log.append([{ n: "good-3" }]);
  assert.equal(heard.recoveries.length, 1);
  assert.equal(heard.recoveries[0].failedAppends, 40);
  assert.equal(heard.recoveries[0].error.code, "ENOSPC");
  assert.deepEqual(log.health(), { status: "ok" });
  assert.deepEqual(await readRuntimeLogLines(path), [
    '{"n":"good-1"}',
    '{"n":"good-2"}',
    '{"n":"good-3"}',
  ]);
  await assert.rejects(Deno.stat(tornFragmentPath(path)), Deno.errors.NotFound);

  // A later incident is reported again, once.
  files.faults.write = { code: "EDQUOT" };
  await unavailable(log.append([{ n: "bad" }]));
  await unavailable(log.append([{ n: "bad" }]));
  assert.equal(heard.incidents.length, 2);
  files.faults.write = null;
  await log.append([{ n: "good-4" }]);
  assert.equal(heard.recoveries.length, 2);
  assert.equal((await readRuntimeLogLines(path)).length, 4);
  await log.close();
});

Deno.test("a failed sync removes the whole batch it was for: whole lines too, not only a torn end", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });
  await log.append([{ n: 1 }]);
  files.faults.sync = "EIO";
  const error = await unavailable(log.append([{ n: 2 }, { n: 3 }]));
  assert.equal(error.code, "EIO");
  assert.equal(error.operation, "sync");
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}']);
  files.faults.sync = null;
  await log.append([{ n: 4 }]);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}', '{"n":4}']);
  await log.close();
});

Deno.test("when the cut-back itself fails, the next open cuts the file back before appending", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });
  const heard = listen(log);
  await log.append([{ n: 1 }]);
  const good = await Deno.readTextFile(path);

  // '{"n":"bad-a"}\n' is 14 bytes: 20 land one whole line of the failed batch and a fragment.
  files.faults.write = { code: "ENOSPC", land: 20 };
  files.faults.truncate = "EIO";
  await unavailable(log.append([{ n: "bad-a" }, { n: "bad-b" }]));
  assert.ok(
    (await Deno.readTextFile(path)).startsWith(good + '{"n":"bad-a"}\n'),
    "the leftover is there",
  );

  files.faults.write = null;
  const error = await unavailable(log.append([{ n: 2 }]));
  assert.equal(error.operation, "truncate", "nothing is appended after the leftover");

  files.faults.truncate = null;
  await log.append([{ n: 3 }]);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}', '{"n":3}']);
  assert.equal(heard.incidents.length, 1);
  assert.equal(heard.recoveries.length, 1);
  await assert.rejects(Deno.stat(tornFragmentPath(path)), Deno.errors.NotFound, "not a torn tail");
  await log.close();
});

Deno.test("permission denied and read-only file system reject retryable and recover", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "logs", "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });
  const heard = listen(log);
  await log.append([{ n: 1 }]);

  // The folder is deleted and can no longer be written: re-opening the file fails.
  await Deno.remove(join(folder.path, "logs"), { recursive: true });
  files.faults.open = "EACCES";
  for (let i = 0; i < 5; i++) {
    const error = await unavailable(log.append([{ n: "refused" }]));
    assert.equal(error.code, "EACCES");
    assert.equal(error.operation, "open");
    assert.match(error.message, /permission denied/);
  }
  files.faults.open = null;
  files.faults.write = { code: "EROFS" };
  const error = await unavailable(log.append([{ n: "refused" }]));
  assert.equal(error.code, "EROFS");
  assert.match(error.message, /read-only/);
  assert.equal(heard.incidents.length, 1, "EACCES then EROFS is still one incident");
  assert.equal(heard.incidents[0].code, "EACCES");
  const health = log.health();
  assert.ok(health.status === "unavailable" && health.error.code === "EROFS");

  files.faults.write = null;
  await log.append([{ n: 2 }]);
  assert.equal(heard.recoveries.length, 1);
  assert.equal(heard.recoveries[0].failedAppends, 6);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":2}']);
  await log.close();
});

Deno.test("a listener that throws does not break the log", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const files = faultyFileSystem();
  const log = await openRuntimeLog({ path, openFile: files.openFile });
  log.onIncident(() => {
    throw new Error("listener bug");
  });
  files.faults.write = { code: "ENOSPC" };
  await unavailable(log.append([{ n: 1 }]));
  files.faults.write = null;
  await log.append([{ n: 2 }]);
  await log.close();
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":2}']);
});

const hasDevFull = await Deno.stat("/dev/full").then((info) => !info.isFile, () => false);

Deno.test({
  name: "a real ENOSPC (/dev/full) rejects retryable and is reported once (needs /dev/full)",
  ignore: !hasDevFull,
  async fn() {
    const log = await openRuntimeLog({ path: "/dev/full" });
    const heard = listen(log);
    for (let i = 0; i < 5; i++) {
      const error = await unavailable(log.append([{ n: i }]));
      assert.equal(error.code, "ENOSPC");
    }
    assert.equal(heard.incidents.length, 1);
    await log.close();
  },
});
