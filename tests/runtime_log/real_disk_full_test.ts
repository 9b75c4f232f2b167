import assert from "node:assert/strict";
import { join } from "node:path";
import {
  openRuntimeLog,
  RuntimeLogUnavailableError,
} from "../../lib/runtime_log/open_runtime_log.ts";
import { faultyFileSystem } from "./support/faulty_file_system.ts";
import { readRuntimeLogLines } from "./support/read_runtime_log.ts";

/**
 * Mounts a small tmpfs to fill for real. Needs Linux and root (CI runs as root); elsewhere the
 * test is ignored and the injected-fault tests in disk_failure_test.ts cover the same paths.
 */
async function mountSmallTmpfs(): Promise<string | null> {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return null;
  const mountPoint = await Deno.makeTempDir({ prefix: "beacon-runtime-log-tmpfs-" });
  const mounted = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mountPoint],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  if (mounted.success) return mountPoint;
  await Deno.remove(mountPoint);
  return null;
}

async function unmount(mountPoint: string): Promise<void> {
  await new Deno.Command("umount", { args: [mountPoint] }).output();
  await Deno.remove(mountPoint);
}

/** Fills the file system holding `path` with one file; returns when a write hits ENOSPC. */
async function fill(path: string): Promise<void> {
  const filler = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(4096);
  try {
    for (;;) await filler.write(chunk);
  } catch (error) {
    assert.equal((error as { code?: string }).code, "ENOSPC");
  } finally {
    filler.close();
  }
}

const canMount = await mountSmallTmpfs().then(async (mountPoint) => {
  if (mountPoint !== null) await unmount(mountPoint);
  return mountPoint !== null;
});

Deno.test({
  name:
    "a really full disk: appends reject retryable, no partial line is left, writing resumes once space is freed (needs Linux, root and mount)",
  ignore: !canMount,
  async fn() {
    const mountPoint = await mountSmallTmpfs();
    assert.ok(mountPoint, "a tmpfs could be mounted when the test was registered");
    const path = join(mountPoint, "logs", "runtime.jsonl");
    try {
      // No faults injected: the file layer only counts what the real disk did.
      const files = faultyFileSystem();
      const log = await openRuntimeLog({ path, openFile: files.openFile });
      const incidents: RuntimeLogUnavailableError[] = [];
      let recoveries = 0;
      log.onIncident((error) => incidents.push(error));
      log.onRecovered(() => recoveries++);
      await log.append([{ n: 1 }, { n: 2 }]);

      await fill(join(mountPoint, "filler"));
      // Several KiB per append: more than the log file's last page has room for, so each write
      // lands part of its bytes and then fails.
      const big = (n: number) =>
        Array.from({ length: 4 }, (_, part) => ({ n, part, pad: "f".repeat(2000) }));
      for (let n = 0; n < 5; n++) {
        const error = await log.append(big(n)).then(() => assert.fail("expected ENOSPC"), (e) => e);
        assert.ok(error instanceof RuntimeLogUnavailableError);
        assert.equal(error.code, "ENOSPC");
        assert.equal(error.retryable, true);
      }
      assert.equal(incidents.length, 1);
      assert.ok(files.counters.shortWrites >= 1, "the disk took part of a batch before failing");
      assert.ok(files.counters.truncates >= 1, "and that part was cut back");
      assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}', '{"n":2}']);

      await Deno.remove(join(mountPoint, "filler"));
      await log.append([{ n: 3 }]);
      assert.equal(recoveries, 1);
      assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}', '{"n":2}', '{"n":3}']);
      await log.close();
    } finally {
      await unmount(mountPoint);
    }
  },
});
