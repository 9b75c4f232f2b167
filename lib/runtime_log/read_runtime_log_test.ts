import assert from "node:assert/strict";
import { join } from "node:path";
import {
  findEventInRuntimeLog,
  MAX_LINE_BYTES,
  readRuntimeLog,
  type RuntimeLogLine,
  summarizeRuntimeLog,
} from "./read_runtime_log.ts";

async function withFolder(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-read-runtime-log-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function event(n: number, kind = "prompt"): string {
  const second = String(n % 60).padStart(2, "0");
  return JSON.stringify({
    schema_version: 1,
    time: `2026-11-25T11:00:${second}.000Z`,
    kind,
    session_id: `s-${n}`,
    n,
  });
}

async function collect(
  path: string,
  options?: { fromArchives?: boolean },
): Promise<RuntimeLogLine[]> {
  const lines: RuntimeLogLine[] = [];
  for await (const line of readRuntimeLog(path, options)) lines.push(line);
  return lines;
}

Deno.test("readRuntimeLog reads archives oldest first, then the live file, gaps allowed", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(`${path}.3`, `${event(1)}\n${event(2)}\n`);
    await Deno.writeTextFile(`${path}.1`, `${event(3)}\n`); // .2 lost in a crashed rotation
    await Deno.writeTextFile(path, `${event(4)}\n${event(5)}\n`);
    await Deno.writeTextFile(`${path}.torn`, "not part of the log\n");
    const lines = await collect(path);
    assert.deepEqual(lines.map((line) => line.event?.n), [1, 2, 3, 4, 5]);
    assert.deepEqual(lines.map((line) => [line.file, line.lineNumber]), [
      [`${path}.3`, 1],
      [`${path}.3`, 2],
      [`${path}.1`, 1],
      [path, 1],
      [path, 2],
    ]);
    assert.equal(lines[4].offset, event(4).length + 1);
    assert.ok(lines.every((line) => line.error === undefined));

    const liveOnly = await collect(path, { fromArchives: false });
    assert.deepEqual(liveOnly.map((line) => line.event?.n), [4, 5]);
  });
});

Deno.test("a torn last line and invalid lines yield errors, not exceptions", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(
      path,
      `${event(1)}\n{"broken": \n[1,2]\n\n${event(2)}\n{"time":"2026-11-25T11:00:09`,
    );
    const lines = await collect(path);
    assert.deepEqual(lines.map((line) => line.event?.n ?? null), [1, null, null, null, 2, null]);
    assert.match(lines[1].error!, new RegExp(`^${path}:2: not valid JSON \\(`));
    assert.equal(lines[1].line, '{"broken": ');
    assert.equal(lines[2].error, `${path}:3: not a JSON object`);
    assert.match(lines[3].error!, /:4: not valid JSON/);
    assert.match(lines[5].error!, /:6: the last line has no newline: a write in progress/);
    assert.equal(lines[5].line, '{"time":"2026-11-25T11:00:09');
  });
});

Deno.test("a missing log reads as empty; so does a missing folder", async () => {
  await withFolder(async (dir) => {
    assert.deepEqual(await collect(join(dir, "runtime.jsonl")), []);
    assert.deepEqual(await collect(join(dir, "no-folder", "runtime.jsonl")), []);
  });
});

Deno.test("a log that is a folder is refused with its path and what to do, by every reader", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.mkdir(path);
    const expected = (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(
        error.message,
        new RegExp(`^Cannot read the runtime log "${path}": it is a folder`),
      );
      assert.match(error.message, /runtime_log\.path/);
      return true;
    };
    await assert.rejects(() => collect(path), expected);
    await assert.rejects(() => summarizeRuntimeLog(path), expected);
    await assert.rejects(() => findEventInRuntimeLog(path, () => true), expected);
  });
});

Deno.test("lines longer than a read block and UTF-8 split across blocks are read whole", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    // 3-byte characters, so some fall across the 64 KiB block boundaries.
    const text = "é€".repeat(70_000);
    const long = JSON.stringify({ time: "2026-11-25T11:00:00.000Z", kind: "prompt", text });
    await Deno.writeTextFile(path, `${event(1)}\n${long}\n${event(2)}\n`);
    const lines = await collect(path);
    assert.equal(lines.length, 3);
    assert.equal(lines[1].event?.text, text);
    assert.equal(lines[2].event?.n, 2);
  });
});

Deno.test("an overlong line is skipped with an error and only its start kept", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    const file = await Deno.open(path, { write: true, create: true });
    await file.write(new TextEncoder().encode(`${event(1)}\n{"x":"`));
    const block = new TextEncoder().encode("a".repeat(1024 * 1024));
    for (let written = 0; written <= MAX_LINE_BYTES; written += block.length) {
      await file.write(block);
    }
    await file.write(new TextEncoder().encode(`"}\n${event(2)}\n`));
    file.close();
    const lines = await collect(path);
    assert.deepEqual(lines.map((line) => line.event?.n ?? null), [1, null, 2]);
    assert.match(lines[1].error!, /:2: the line is \d+ bytes, longer than the 16777216/);
    assert.equal(lines[1].line.length, 1024);
    assert.ok(lines[1].line.startsWith('{"x":"aaa'));
  });
});

Deno.test("a rotation while reading neither skips nor repeats lines", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(`${path}.1`, `${event(1)}\n${event(2)}\n`);
    await Deno.writeTextFile(path, `${event(3)}\n${event(4)}\n`);
    const seen: number[] = [];
    for await (const line of readRuntimeLog(path)) {
      seen.push(line.event?.n as number);
      if (seen.length === 1) {
        // The collector rotates: .1 -> .2, live -> .1, a new live file.
        await Deno.rename(`${path}.1`, `${path}.2`);
        await Deno.rename(path, `${path}.1`);
        await Deno.writeTextFile(path, `${event(5)}\n`);
      }
    }
    assert.deepEqual(seen, [1, 2, 3, 4]);
  });
});

Deno.test("stopping early closes the files (the folder can be removed at once)", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(`${path}.1`, `${event(1)}\n`);
    await Deno.writeTextFile(path, `${event(2)}\n`);
    for await (const line of readRuntimeLog(path)) {
      assert.equal(line.event?.n, 1);
      break;
    }
    // The test sanitizer fails the test if a file handle leaked.
  });
});

Deno.test("summarizeRuntimeLog of a 10 MiB log finds the last event and counts every line", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    const encoder = new TextEncoder();
    const file = await Deno.open(path, { write: true, create: true });
    let lines = 0;
    let bytes = 0;
    const batch: string[] = [];
    while (bytes < 10 * 1024 * 1024) {
      const line = event(lines, lines % 2 ? "tool_result" : "prompt") + "\n";
      batch.push(line);
      bytes += line.length;
      lines++;
      if (batch.length === 1000) {
        await file.write(encoder.encode(batch.join("")));
        batch.length = 0;
      }
    }
    const last = JSON.stringify({ time: "2026-11-25T23:59:59.999Z", kind: "token_usage" });
    await file.write(encoder.encode(batch.join("") + last + "\n" + '{"time":"torn'));
    file.close();
    await Deno.writeTextFile(`${path}.1`, `${event(1)}\n`);
    await Deno.writeTextFile(`${path}.2`, "");

    const summary = await summarizeRuntimeLog(path);
    const size = (await Deno.stat(path)).size;
    assert.ok(size > 10 * 1024 * 1024);
    assert.deepEqual(summary, {
      path,
      exists: true,
      bytes: size,
      archives: [
        { path: `${path}.1`, bytes: event(1).length + 1 },
        { path: `${path}.2`, bytes: 0 },
      ],
      lastEventTime: "2026-11-25T23:59:59.999Z",
      lastEventKind: "token_usage",
      events: lines + 1,
    });
  });
});

Deno.test("summarizeRuntimeLog passes over lines that are not events, and falls back to archives", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(path, `${event(7, "approval")}\nnot json\n{"no_time":true}\n`);
    let summary = await summarizeRuntimeLog(path);
    assert.equal(summary.lastEventTime, "2026-11-25T11:00:07.000Z");
    assert.equal(summary.lastEventKind, "approval");
    assert.equal(summary.events, 3);

    // Just rotated: the live file is empty, the newest event is in .1.
    await Deno.rename(path, `${path}.1`);
    await Deno.writeTextFile(path, "");
    summary = await summarizeRuntimeLog(path);
    assert.equal(summary.bytes, 0);
    assert.equal(summary.events, 0);
    assert.equal(summary.lastEventTime, "2026-11-25T11:00:07.000Z");
  });
});

Deno.test("summarizeRuntimeLog of the file's only line, a torn-only file and a missing log", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(path, `${event(3)}\n`);
    assert.equal((await summarizeRuntimeLog(path)).lastEventTime, "2026-11-25T11:00:03.000Z");

    await Deno.writeTextFile(path, '{"time":"2026-11-25T11:00:00.000Z"}'); // no newline yet
    const torn = await summarizeRuntimeLog(path);
    assert.equal(torn.lastEventTime, undefined);
    assert.equal(torn.events, 0);

    assert.deepEqual(await summarizeRuntimeLog(join(dir, "missing.jsonl")), {
      path: join(dir, "missing.jsonl"),
      exists: false,
      bytes: 0,
      archives: [],
    });
  });
});

Deno.test("findEventInRuntimeLog searches from an offset and skips a straddling line", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(path, `${event(1)}\n${event(2)}\n`);
    const sinceBytes = (await Deno.stat(path)).size;
    await Deno.writeTextFile(path, `${event(3)}\nbroken\n${event(2)}\n`, { append: true });

    const anyTwo = (found: Record<string, unknown>) => found.n === 2;
    const found = await findEventInRuntimeLog(path, anyTwo, { sinceBytes });
    assert.equal(found?.file, path);
    assert.equal(found?.offset, sinceBytes + event(3).length + 1 + "broken\n".length);
    assert.equal(found?.line, event(2));
    assert.equal((await findEventInRuntimeLog(path, anyTwo))?.offset, event(1).length + 1);
    assert.equal(await findEventInRuntimeLog(path, (e) => e.n === 1, { sinceBytes }), undefined);
    // An offset in the middle of event 3: that line was written before it.
    assert.equal(
      await findEventInRuntimeLog(path, (e) => e.n === 3, { sinceBytes: sinceBytes + 5 }),
      undefined,
    );
  });
});

Deno.test("findEventInRuntimeLog follows a rotation since the offset was taken", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(path, `${event(1)}\n${event(11)}\n`);
    const sinceBytes = (await Deno.stat(path)).size;
    await Deno.writeTextFile(path, `${event(2)}\n`, { append: true });
    await Deno.rename(path, `${path}.1`);
    await Deno.writeTextFile(path, `${event(3)}\n`);

    const find = (n: number) => findEventInRuntimeLog(path, (e) => e.n === n, { sinceBytes });
    assert.equal((await find(2))?.file, `${path}.1`);
    assert.equal((await find(3))?.file, path);
    assert.equal(await find(1), undefined);
    assert.equal(await findEventInRuntimeLog(join(dir, "missing"), () => true), undefined);
  });
});

Deno.test("with the file's inode, a rotation is recognised even when the new file is as large", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(path, `${event(1)}\n`);
    const before = await Deno.stat(path);
    const since = { sinceBytes: before.size, sinceFileId: before.ino! };
    await Deno.writeTextFile(path, `${event(2)}\n`, { append: true });
    await Deno.rename(path, `${path}.1`);
    await Deno.writeTextFile(path, `${event(3)}\n${event(4)}\n`); // larger than sinceBytes

    assert.equal((await findEventInRuntimeLog(path, (e) => e.n === 2, since))?.file, `${path}.1`);
    assert.equal((await findEventInRuntimeLog(path, (e) => e.n === 3, since))?.offset, 0);
    // Rotated twice: the file that was live is .2 now, and .1 is newer, so read whole.
    await Deno.rename(`${path}.1`, `${path}.2`);
    await Deno.rename(path, `${path}.1`);
    await Deno.writeTextFile(path, `${event(5)}\n`);
    const find = (n: number) => findEventInRuntimeLog(path, (e) => e.n === n, since);
    assert.equal(await find(1), undefined);
    assert.equal((await find(2))?.file, `${path}.2`);
    assert.deepEqual([(await find(3))?.file, (await find(3))?.offset], [`${path}.1`, 0]);
    assert.equal((await find(5))?.file, path);
    // The file that was live has been dropped: every archive left is newer than the offset.
    await Deno.remove(`${path}.2`);
    assert.equal((await find(3))?.file, `${path}.1`);
  });
});

Deno.test("summarizeRuntimeLog finds a last event longer than a read block", async () => {
  await withFolder(async (dir) => {
    const path = join(dir, "runtime.jsonl");
    // 200 KB: read back to front, the line spans four 64 KiB blocks that must be joined.
    const long = JSON.stringify({
      time: "2026-11-25T12:00:00.000Z",
      kind: "tool_result",
      output: "x".repeat(200_000),
    });
    await Deno.writeTextFile(path, `${event(1)}\n${long}\n`);
    const summary = await summarizeRuntimeLog(path);
    assert.equal(summary.lastEventTime, "2026-11-25T12:00:00.000Z");
    assert.equal(summary.lastEventKind, "tool_result");
  });
});
