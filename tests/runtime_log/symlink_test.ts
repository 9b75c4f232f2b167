/**
 * The runtime log as an attacker who can write into its folder would try it: planted symlinks
 * at the log, its torn-tail fragment and its archives, a folder others can write to, a file
 * that is not the collector's. Issue 7, items 17 and 18.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  openRuntimeLog,
  RUNTIME_LOG_MODES,
  RuntimeLogUnavailableError,
} from "../../lib/runtime_log/open_runtime_log.ts";
import { tornFragmentPath } from "../../lib/runtime_log/repair_torn_tail.ts";
import { archivePath } from "../../lib/runtime_log/list_runtime_log_archives.ts";
import { temporaryFolder } from "./support/read_runtime_log.ts";

const unix = Deno.build.os !== "windows";

/** A file the attacker wants the collector to touch: content without a final newline. */
async function plantVictim(folder: string): Promise<{ path: string; text: string }> {
  const victims = join(folder, "victims");
  await Deno.mkdir(victims, { mode: 0o700 });
  const path = join(victims, "precious.conf");
  const text = "root-only setting\nno final newline";
  await Deno.writeTextFile(path, text, { mode: 0o644 });
  await Deno.chmod(path, 0o644);
  return { path, text };
}

async function assertUntouched(victim: { path: string; text: string }): Promise<void> {
  assert.equal(await Deno.readTextFile(victim.path), victim.text, "the target's content");
  assert.equal((await Deno.stat(victim.path)).mode! & 0o777, 0o644, "the target's mode");
}

async function refusal(promise: Promise<unknown>): Promise<RuntimeLogUnavailableError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RuntimeLogUnavailableError, String(error));
    return error;
  }
  assert.fail("expected the runtime log to refuse");
}

Deno.test({
  name: "a planted runtime.jsonl symlink is refused: its target is not chmod'ed, cut or appended",
  ignore: !unix,
  async fn() {
    await using folder = await temporaryFolder();
    const victim = await plantVictim(folder.path);
    const logs = join(folder.path, "logs");
    await Deno.mkdir(logs, { mode: 0o700 });
    const path = join(logs, "runtime.jsonl");
    await Deno.symlink(victim.path, path);

    const error = await refusal(openRuntimeLog({ path, fileMode: 0o600 }));
    assert.match(error.message, /symbolic link/);
    assert.match(error.message, new RegExp(path.replaceAll("/", "\\/")));
    await assertUntouched(victim);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(logs), (e) => e.name), ["runtime.jsonl"]);
  },
});

Deno.test({
  name: "a dangling runtime.jsonl symlink creates nothing where it points",
  ignore: !unix,
  async fn() {
    await using folder = await temporaryFolder();
    const logs = join(folder.path, "logs");
    await Deno.mkdir(logs, { mode: 0o700 });
    const path = join(logs, "runtime.jsonl");
    const target = join(folder.path, "elsewhere", "created-by-root");
    await Deno.mkdir(join(folder.path, "elsewhere"));
    await Deno.symlink(target, path);

    await refusal(openRuntimeLog({ path }));
    assert.equal(await Deno.lstat(target).then(() => "exists", () => "absent"), "absent");
  },
});

Deno.test({
  name: "a planted runtime.jsonl.torn symlink is not followed; the torn line is still cut",
  ignore: !unix,
  async fn() {
    await using folder = await temporaryFolder();
    const victim = await plantVictim(folder.path);
    const logs = join(folder.path, "logs");
    await Deno.mkdir(logs, { mode: 0o700 });
    const path = join(logs, "runtime.jsonl");
    await Deno.writeTextFile(path, '{"n":1}\n{"n":2,"to', { mode: 0o600 });
    await Deno.symlink(victim.path, tornFragmentPath(path));

    const log = await openRuntimeLog({ path });
    assert.deepEqual(log.repair, { repairedBytes: 10, tornPath: null });
    await log.append([{ n: 3 }]);
    await log.close();
    assert.equal(await Deno.readTextFile(path), '{"n":1}\n{"n":3}\n');
    await assertUntouched(victim);
    assert.ok((await Deno.lstat(tornFragmentPath(path))).isSymlink, "the link is left for people");
  },
});

Deno.test({
  name: "rotation renames over a planted archive symlink instead of writing through it",
  ignore: !unix,
  async fn() {
    await using folder = await temporaryFolder();
    const victim = await plantVictim(folder.path);
    const logs = join(folder.path, "logs");
    await Deno.mkdir(logs, { mode: 0o700 });
    const path = join(logs, "runtime.jsonl");
    await Deno.symlink(victim.path, archivePath(path, 1));

    const log = await openRuntimeLog({ path, maxBytes: 16, archives: 3 });
    await log.append([{ n: 1, pad: "xxxxxxxx" }]);
    await log.append([{ n: 2, pad: "xxxxxxxx" }]);
    await log.close();
    await assertUntouched(victim);
    const archive = await Deno.lstat(archivePath(path, 1));
    assert.ok(archive.isFile && !archive.isSymlink, "archive 1 is the rotated log");
  },
});

for (const mode of [0o777, 0o770, 0o703]) {
  Deno.test({
    name: `a log folder others can write to (${mode.toString(8)}) is refused, naming the folder ` +
      "and the fix",
    ignore: !unix,
    async fn() {
      await using folder = await temporaryFolder();
      const logs = join(folder.path, "logs");
      await Deno.mkdir(logs);
      await Deno.chmod(logs, mode);
      if (mode === 0o770) {
        requireRoot(); // a group that is not the collector's own needs chown
        await Deno.chown(logs, null, Deno.gid() === 4343 ? 4344 : 4343);
      }
      const path = join(logs, "runtime.jsonl");

      const error = await refusal(openRuntimeLog({ path }));
      assert.match(error.message, new RegExp(`"${logs.replaceAll("/", "\\/")}"`));
      assert.match(error.message, /others can write/);
      assert.match(error.message, /chmod go-w/);
      assert.equal(await Deno.lstat(path).then(() => "exists", () => "absent"), "absent");
      assert.equal((await Deno.stat(logs)).mode! & 0o777, mode, "the folder is left as it was");
    },
  });
}

Deno.test({
  name: "a log folder inside a folder others can write to (no sticky bit) is refused",
  ignore: !unix,
  async fn() {
    await using folder = await temporaryFolder();
    const shared = join(folder.path, "shared");
    await Deno.mkdir(shared);
    await Deno.chmod(shared, 0o777);
    const path = join(shared, "logs", "runtime.jsonl");
    const error = await refusal(openRuntimeLog({ path }));
    assert.match(error.message, new RegExp(`"${shared.replaceAll("/", "\\/")}"`));

    await Deno.chmod(shared, 0o1777); // like /tmp: others cannot replace what is ours
    const log = await openRuntimeLog({ path });
    await log.append([{ n: 1 }]);
    await log.close();
    assert.equal((await Deno.stat(join(shared, "logs"))).mode! & 0o777, 0o700);
  },
});

/** Root-only cases: a collector running as root is who an attacker aims at. */
function requireRoot(): void {
  if (Deno.uid() !== 0) {
    assert.fail(
      "This test needs root (it checks what a system collector does as root; CI runs as root). " +
        "Run it with sudo.",
    );
  }
}

Deno.test({
  name: "as root, a runtime.jsonl that belongs to another user (a planted hard link) is refused",
  ignore: !unix,
  async fn() {
    requireRoot();
    await using folder = await temporaryFolder();
    const logs = join(folder.path, "logs");
    await Deno.mkdir(logs, { mode: 0o700 });
    const path = join(logs, "runtime.jsonl");
    await Deno.writeTextFile(path, "someone else's\nno newline", { mode: 0o666 });
    await Deno.chmod(path, 0o666);
    await Deno.chown(path, 4242, 4242);

    const error = await refusal(openRuntimeLog({ path }));
    assert.match(error.message, /belongs to uid 4242/);
    assert.equal(await Deno.readTextFile(path), "someone else's\nno newline");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o666);
  },
});

Deno.test({
  name: "as root, the system log folder is root:<admin group> 0750 so admins reach the log",
  ignore: !unix,
  async fn() {
    requireRoot();
    await using folder = await temporaryFolder();
    const adminGid = 4343;
    // Created by the collector.
    const fresh = join(folder.path, "fresh", "runtime.jsonl");
    const log = await openRuntimeLog({ path: fresh, ...RUNTIME_LOG_MODES.system, gid: adminGid });
    await log.close();
    // Left root:root 0750 by an earlier endpoint install.
    const earlier = join(folder.path, "earlier");
    await Deno.mkdir(earlier);
    await Deno.chmod(earlier, 0o750);
    const path = join(earlier, "runtime.jsonl");
    await (await openRuntimeLog({ path, ...RUNTIME_LOG_MODES.system, gid: adminGid })).close();

    for (const file of [fresh, path]) {
      const dir = await Deno.stat(join(file, ".."));
      assert.deepEqual([dir.uid, dir.gid, dir.mode! & 0o7777], [0, adminGid, 0o750], file);
      const log = await Deno.stat(file);
      assert.deepEqual([log.uid, log.gid, log.mode! & 0o777], [0, adminGid, 0o640], file);
    }
  },
});

Deno.test({
  name:
    "a FIFO at the log's name is refused without being opened (an open would wait for a reader)",
  ignore: !unix,
  async fn() {
    await using folder = await temporaryFolder();
    const path = join(folder.path, "runtime.jsonl");
    const made = await new Deno.Command("mkfifo", { args: [path] }).output();
    assert.ok(made.success, "mkfifo");
    // Opened for writing, a FIFO blocks until a reader comes: the refusal must come first.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<"hung">((
      resolve,
    ) => (timer = setTimeout(() => resolve("hung"), 10_000)));
    const outcome = await Promise.race([refusal(openRuntimeLog({ path })), hung]);
    clearTimeout(timer);
    assert.notEqual(outcome, "hung", "the open waited on the FIFO");
    const error = outcome as RuntimeLogUnavailableError;
    assert.equal(error.code, "EUNSAFE");
    assert.match(error.message, /FIFO/);
  },
});
