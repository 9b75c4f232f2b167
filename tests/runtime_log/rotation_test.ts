import assert from "node:assert/strict";
import { join } from "node:path";
import { listRuntimeLogArchives } from "../../lib/runtime_log/list_runtime_log_archives.ts";
import {
  openRuntimeLog,
  RuntimeLogUnavailableError,
} from "../../lib/runtime_log/open_runtime_log.ts";
import {
  readRuntimeLogFiles,
  readRuntimeLogRecords,
  temporaryFolder,
} from "./support/read_runtime_log.ts";

/** Appends `count` one-line appends from each of `writers` concurrent writers. */
async function writeConcurrently(
  append: (entries: object[]) => Promise<void>,
  writers: number,
  count: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let seq = 0; seq < count; seq++) {
        // 1 or 2 lines per append, of varying length, so appends straddle the limit.
        const lines = 1 + (seq % 2);
        await append(
          Array.from({ length: lines }, (_, part) => ({
            writer,
            seq,
            part,
            pad: "r".repeat((writer * 13 + seq * 7) % 90),
          })),
        );
      }
    }),
  );
}

/** Per writer, the (seq, part) pairs in file order. */
function byWriter(records: Record<string, unknown>[]): Map<number, string[]> {
  const writers = new Map<number, string[]>();
  for (const record of records) {
    const list = writers.get(record.writer as number) ?? [];
    list.push(`${record.seq}.${record.part}`);
    writers.set(record.writer as number, list);
  }
  return writers;
}

function expectedKeys(count: number): string[] {
  const keys: string[] = [];
  for (let seq = 0; seq < count; seq++) {
    for (let part = 0; part < 1 + (seq % 2); part++) keys.push(`${seq}.${part}`);
  }
  return keys;
}

Deno.test("rotation under concurrent appends keeps every line exactly once, in order per writer", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const maxBytes = 4096;
  const log = await openRuntimeLog({ path, maxBytes, archives: 999 });
  await writeConcurrently((entries) => log.append(entries), 20, 100);
  await log.close();

  const files = await readRuntimeLogFiles(path);
  const numbers = await listRuntimeLogArchives(path);
  assert.ok(numbers.length >= 20, `expected many rotations, got ${numbers.length} archives`);
  assert.deepEqual(numbers, numbers.map((_, i) => i + 1), "archives are numbered 1..N");
  assert.equal(log.stats().rotations, numbers.length);
  assert.equal(log.stats().archives, numbers.length);
  for (const file of files) {
    assert.ok(file.bytes <= maxBytes, `${file.path} has ${file.bytes} bytes`);
    assert.ok(file.text.endsWith("\n"), `${file.path} ends on a whole line`);
  }
  const writers = byWriter(await readRuntimeLogRecords(path));
  assert.equal(writers.size, 20);
  for (const [writer, keys] of writers) {
    assert.deepEqual(keys, expectedKeys(100), `writer ${writer}`);
  }
});

Deno.test("rotation keeps at most `archives` archives and drops the oldest", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path, maxBytes: 2048, archives: 3 });
  await writeConcurrently((entries) => log.append(entries), 8, 100);
  await log.close();

  assert.deepEqual(await listRuntimeLogArchives(path), [1, 2, 3]);
  assert.equal(log.stats().archives, 3);
  assert.ok(log.stats().rotations > 3);
  const writers = byWriter(await readRuntimeLogRecords(path));
  for (const [writer, keys] of writers) {
    // What is left of each writer is the end of what it wrote, without holes or repeats.
    const all = expectedKeys(100);
    assert.ok(
      keys.length < all.length,
      `writer ${writer} lost nothing: the oldest was not dropped`,
    );
    assert.deepEqual(keys, all.slice(all.length - keys.length), `writer ${writer}`);
  }
});

Deno.test("an append larger than maxBytes goes whole into a file of its own", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path, maxBytes: 100, archives: 10 });
  await log.append([{ n: 1 }]);
  const big = Array.from({ length: 5 }, (_, n) => ({ n: 2, part: n, pad: "b".repeat(40) }));
  await log.append(big);
  await log.append([{ n: 3 }]);
  await log.close();
  const files = await readRuntimeLogFiles(path);
  assert.deepEqual(
    files.map((file) => file.text.split("\n").filter(Boolean).map((line) => JSON.parse(line).n)),
    [[1], [2, 2, 2, 2, 2], [3]],
  );
});

Deno.test("rotation closes a gap left by a crash mid-rotation instead of dropping an archive", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  await Deno.writeTextFile(`${path}.1`, '{"file":"old 1"}\n');
  await Deno.writeTextFile(`${path}.3`, '{"file":"old 3"}\n');
  await Deno.writeTextFile(path, '{"file":"live"}\n');
  const log = await openRuntimeLog({ path, maxBytes: 20, archives: 3 });
  assert.equal(log.stats().archives, 2);
  await log.append([{ file: "new" }]);
  await log.close();
  assert.deepEqual(await listRuntimeLogArchives(path), [1, 2, 3]);
  assert.deepEqual((await readRuntimeLogRecords(path)).map((record) => record.file), [
    "old 3",
    "old 1",
    "live",
    "new",
  ]);
});

Deno.test("archives: 0 discards the full file on rotation and keeps no archive", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path, maxBytes: 10, archives: 0 });
  await log.append([{ n: 1 }]);
  await log.append([{ n: 2 }]);
  await log.close();
  assert.deepEqual(await listRuntimeLogArchives(path), []);
  assert.deepEqual((await readRuntimeLogRecords(path)).map((record) => record.n), [2]);
});

const REPO_TMP = new URL("../../.tmp/", import.meta.url).pathname;

/** Whether `chattr +i` works on a fresh folder inside `parent`. */
async function chattrWorksIn(parent: string): Promise<boolean> {
  const probe = await Deno.makeTempDir({ dir: parent, prefix: "beacon-chattr-probe-" });
  try {
    const set = await new Deno.Command("chattr", { args: ["+i", probe], stderr: "null" }).output();
    if (!set.success) return false;
    await new Deno.Command("chattr", { args: ["-i", probe] }).output();
    return true;
  } catch {
    return false;
  } finally {
    await Deno.remove(probe).catch(() => {});
  }
}

/**
 * A new folder whose file system takes `chattr +i` (needs Linux and root, for
 * CAP_LINUX_IMMUTABLE), removed on dispose; null where there is none. /tmp may be a tmpfs without
 * file attributes, so the repository's .tmp/ (usually ext4 or overlay) is tried next, and last a
 * small ext4 image mounted on a loop device.
 */
async function immutableCapableFolder(): Promise<({ path: string } & AsyncDisposable) | null> {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return null;
  const removing = (path: string, also = async () => {}) => ({
    path,
    async [Symbol.asyncDispose]() {
      await also();
      await Deno.remove(path, { recursive: true });
    },
  });
  const tmp = await Deno.makeTempDir({ prefix: "beacon-rotation-" });
  if (await chattrWorksIn(tmp)) return removing(tmp);
  await Deno.remove(tmp, { recursive: true });
  await Deno.mkdir(REPO_TMP, { recursive: true });
  const repoTmp = await Deno.makeTempDir({ dir: REPO_TMP, prefix: "beacon-rotation-" });
  if (await chattrWorksIn(repoTmp)) return removing(repoTmp);
  const image = join(repoTmp, "ext4.img");
  const mountPoint = join(repoTmp, "mnt");
  await Deno.mkdir(mountPoint);
  let mounted = false;
  const loop = {
    path: mountPoint,
    async [Symbol.asyncDispose]() {
      if (mounted) await new Deno.Command("umount", { args: [mountPoint] }).output();
      await Deno.remove(repoTmp, { recursive: true });
    },
  };
  const commands = [
    ["truncate", "-s", "8M", image],
    ["mkfs.ext4", "-q", "-F", image],
    ["mount", "-o", "loop", image, mountPoint],
  ];
  for (const [command, ...args] of commands) {
    const done = await new Deno.Command(command, { args, stdout: "null", stderr: "null" })
      .output().catch(() => ({ success: false }));
    if (!done.success) {
      await loop[Symbol.asyncDispose]();
      return null;
    }
  }
  mounted = true;
  if (await chattrWorksIn(mountPoint)) return loop;
  await loop[Symbol.asyncDispose]();
  return null;
}

const canMakeImmutable = await (async () => {
  await using folder = await immutableCapableFolder();
  return folder !== null;
})();

async function chattr(flag: "+i" | "-i", path: string): Promise<void> {
  const result = await new Deno.Command("chattr", { args: [flag, path] }).output();
  assert.ok(result.success, `chattr ${flag} ${path} failed`);
}

Deno.test({
  name:
    "a rotation the folder refuses (immutable) rejects retryable, keeps the file, and rotates once allowed (needs Linux, root and chattr)",
  ignore: !canMakeImmutable,
  async fn() {
    await using folder = await immutableCapableFolder();
    assert.ok(folder, "chattr +i worked when the test was registered");
    const logs = join(folder.path, "logs");
    const path = join(logs, "runtime.jsonl");
    const log = await openRuntimeLog({ path, maxBytes: 30, archives: 3 });
    const incidents: string[] = [];
    let recoveries = 0;
    log.onIncident((error) => incidents.push(`${error.operation} ${error.code}`));
    log.onRecovered(() => recoveries++);
    await log.append([{ n: 1 }, { n: 2 }, { n: 3 }]); // 24 bytes: the next line needs a rotation

    await chattr("+i", logs);
    try {
      for (const n of [4, 5]) {
        const error = await log.append([{ n }]).then(() => assert.fail("expected EPERM"), (e) => e);
        assert.ok(error instanceof RuntimeLogUnavailableError);
        assert.equal(error.operation, "rotate");
        assert.equal(error.code, "EPERM");
        assert.equal(error.retryable, true);
        assert.match(error.message, /lsattr/);
      }
    } finally {
      await chattr("-i", logs);
    }
    assert.deepEqual(incidents, ["rotate EPERM"]);
    assert.deepEqual(await listRuntimeLogArchives(path), []);

    await log.append([{ n: 6 }]);
    await log.close();
    assert.equal(recoveries, 1);
    assert.deepEqual(await listRuntimeLogArchives(path), [1]);
    assert.deepEqual((await readRuntimeLogRecords(path)).map((record) => record.n), [1, 2, 3, 6]);
  },
});
