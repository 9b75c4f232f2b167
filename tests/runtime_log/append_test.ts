import assert from "node:assert/strict";
import { join } from "node:path";
import {
  openRuntimeLog,
  RUNTIME_LOG_MODES,
  RuntimeLogUnavailableError,
} from "../../lib/runtime_log/open_runtime_log.ts";
import { readRuntimeLogLines, temporaryFolder } from "./support/read_runtime_log.ts";

async function modeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test("append resolves after the lines are in the file, one per line, strings and objects", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  await log.append(['{"event":"first"}']);
  assert.equal(await Deno.readTextFile(path), '{"event":"first"}\n');
  await log.append([{ event: "second", n: 2 }, '{"event":"third"}']);
  assert.deepEqual(await readRuntimeLogLines(path), [
    '{"event":"first"}',
    '{"event":"second","n":2}',
    '{"event":"third"}',
  ]);
  const stats = log.stats();
  assert.equal(stats.linesWritten, 3);
  assert.equal(stats.appends, 2);
  assert.equal(stats.bytes, (await Deno.stat(path)).size);
  assert.deepEqual(log.health(), { status: "ok" });
  await log.close();
});

Deno.test("reopening appends after what is there", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const first = await openRuntimeLog({ path });
  await first.append([{ n: 1 }]);
  await first.close();
  const second = await openRuntimeLog({ path });
  assert.deepEqual(second.repair, { repairedBytes: 0, tornPath: null });
  await second.append([{ n: 2 }]);
  await second.close();
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}', '{"n":2}']);
});

Deno.test("user mode creates the file 0600 and every missing folder 0700", async () => {
  await using folder = await temporaryFolder();
  await Deno.chmod(folder.path, 0o755);
  const path = join(folder.path, "home", ".beacon", "endpoint", "logs", "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  await log.append([{ n: 1 }]);
  await log.close();
  assert.equal(await modeOf(path), 0o600);
  for (
    const created of ["home", "home/.beacon", "home/.beacon/endpoint", "home/.beacon/endpoint/logs"]
  ) {
    assert.equal(await modeOf(join(folder.path, created)), 0o700, created);
  }
  assert.equal(await modeOf(folder.path), 0o755, "an existing folder is left alone");
});

Deno.test("system mode creates the file 0640 and folders 0750 despite a strict umask, in the given group", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "var", "log", "beacon-agent", "runtime.jsonl");
  const gid = Deno.uid() === 0 ? 4 : undefined; // giving away the group needs root
  const umask = Deno.umask(0o077);
  try {
    const log = await openRuntimeLog({ path, ...RUNTIME_LOG_MODES.system, gid });
    await log.append([{ n: 1 }]);
    await log.close();
  } finally {
    Deno.umask(umask);
  }
  assert.equal(await modeOf(path), 0o640);
  assert.equal(await modeOf(join(folder.path, "var", "log", "beacon-agent")), 0o750);
  assert.equal(await modeOf(join(folder.path, "var")), 0o750);
  if (gid !== undefined) {
    assert.equal((await Deno.stat(path)).gid, gid);
    assert.equal((await Deno.stat(join(folder.path, "var", "log"))).gid, gid);
  }
});

Deno.test("an existing log that grants too much is tightened; one that grants less is kept", async () => {
  await using folder = await temporaryFolder();
  const loose = join(folder.path, "loose.jsonl");
  const strict = join(folder.path, "strict.jsonl");
  await Deno.writeTextFile(loose, "{}\n", { mode: 0o644 });
  await Deno.chmod(loose, 0o666);
  await Deno.writeTextFile(strict, "{}\n");
  await Deno.chmod(strict, 0o400);
  for (const path of [loose, strict]) await (await openRuntimeLog({ path })).close();
  assert.equal(await modeOf(loose), 0o600);
  assert.equal(await modeOf(strict), 0o400);
});

Deno.test("a line with a newline or a value JSON cannot encode rejects the whole call, writing nothing", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  await assert.rejects(log.append(['{"a":1}', '{"b":\n2}']), TypeError);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  await assert.rejects(log.append([{ ok: true }, cyclic]), TypeError);
  await assert.rejects(log.append([{ ok: true }, { n: 1n }]), TypeError);
  await log.append([{ after: true }]);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"after":true}']);
  assert.deepEqual(log.health(), { status: "ok" }, "a caller's mistake is not a disk incident");
  await log.close();
});

Deno.test("close waits for pending appends; later appends reject; close is idempotent", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  const pending = Array.from({ length: 20 }, (_, n) => log.append([{ n }]));
  await log.close();
  await Promise.all(pending);
  assert.equal((await readRuntimeLogLines(path)).length, 20);
  await assert.rejects(log.append([{ late: true }]), /closed/);
  await log.close();
});

Deno.test("append([]) is a barrier: it resolves after every earlier append", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  const settled: string[] = [];
  const first = log.append([{ n: 1 }]).then(() => settled.push("append"));
  await log.append([]).then(() => settled.push("barrier"));
  await first;
  assert.deepEqual(settled, ["append", "barrier"]);
  await log.close();
});

Deno.test("bad options are refused before touching the disk", async () => {
  await assert.rejects(openRuntimeLog({ path: "" }), TypeError);
  await assert.rejects(openRuntimeLog({ path: "/tmp/x.jsonl", maxBytes: 0 }), RangeError);
  await assert.rejects(openRuntimeLog({ path: "/tmp/x.jsonl", archives: -1 }), RangeError);
  await assert.rejects(openRuntimeLog({ path: "/tmp/x.jsonl", fileMode: 0o1777 }), RangeError);
});

Deno.test("a log that cannot be opened at all throws a RuntimeLogUnavailableError", async () => {
  await using folder = await temporaryFolder();
  const blocker = join(folder.path, "not-a-folder");
  await Deno.writeTextFile(blocker, "");
  const error = await openRuntimeLog({ path: join(blocker, "runtime.jsonl") }).then(
    () => assert.fail("expected open to fail"),
    (error) => error,
  );
  assert.ok(error instanceof RuntimeLogUnavailableError);
  assert.equal(error.operation, "create folder");
  assert.equal(error.code, "ENOTDIR");
  assert.equal(error.retryable, true);
  assert.match(error.message, /not-a-folder/);
});
