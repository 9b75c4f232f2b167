import assert from "node:assert/strict";
import { join } from "node:path";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { readRuntimeLogLines, temporaryFolder } from "./support/read_runtime_log.ts";

const WRITER = new URL("./support/runtime_log_writer.ts", import.meta.url);

/**
 * Starts the writer child on `path`, allowed to write only in `sandbox` (it reads the folders
 * above the log and its own uid, to check that nobody else can plant links there), reads acknowledged ids from its stdout until at least
 * `acksBeforeKill` arrived, SIGKILLs it, and returns every id it acknowledged (including those
 * still in the pipe when it died: each was printed only after its append resolved).
 */
async function writeUntilKilled(
  sandbox: string,
  path: string,
  { run, writers, maxBytes, archives, acksBeforeKill }: {
    run: string;
    writers: number;
    maxBytes: number;
    archives: number;
    acksBeforeKill: number;
  },
): Promise<{ acknowledged: string[]; opened: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-config",
      "--no-lock",
      "--allow-read",
      "--allow-sys=uid,gid",
      `--allow-write=${sandbox}`,
      WRITER.pathname,
      path,
      String(writers),
      String(maxBytes),
      String(archives),
      run,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const acknowledged: string[] = [];
  let opened = "";
  let killed = false;
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith("ack ")) acknowledged.push(line.slice(4));
      else if (line.startsWith("open ")) opened = line.slice(5);
      else throw new Error(`unexpected output from the writer: ${line}`);
    }
    if (!killed && acknowledged.length >= acksBeforeKill) {
      child.kill("SIGKILL");
      killed = true;
    }
  }
  const status = await child.status;
  assert.equal(pending, "", "the writer printed a partial ack line");
  assert.ok(killed, `the writer exited on its own (code ${status.code}): ${await stderr}`);
  assert.equal(status.signal, "SIGKILL", await stderr);
  return { acknowledged, opened };
}

/** Reopens the log (repairing a torn tail) and returns the ids of every line, in order. */
async function idsAfterReopen(path: string, archives: number): Promise<string[]> {
  const log = await openRuntimeLog({ path, maxBytes: 1 << 30, archives });
  await log.close();
  return (await readRuntimeLogLines(path)).map((line) => JSON.parse(line).id);
}

function assertAcknowledgedExactlyOnce(ids: string[], acknowledged: string[]): void {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const duplicated = [...counts].filter(([, count]) => count > 1);
  assert.deepEqual(duplicated, [], "no line is in the log twice");
  const missing = acknowledged.filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], "every acknowledged line survived the kill");
}

Deno.test("after SIGKILL mid-stream every acknowledged line is in the log exactly once", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "logs", "runtime.jsonl");
  const options = {
    run: "first",
    writers: 8,
    maxBytes: Infinity,
    archives: 5,
    acksBeforeKill: 3000,
  };

  const first = await writeUntilKilled(folder.path, path, options);
  assert.ok(first.acknowledged.length >= 3000);
  assertAcknowledgedExactlyOnce(await idsAfterReopen(path, 5), first.acknowledged);

  // A second run appends after the repaired file; a second kill loses nothing either.
  const second = await writeUntilKilled(folder.path, path, {
    ...options,
    run: "second",
    acksBeforeKill: 1000,
  });
  assert.match(second.opened, /"repairedBytes":0/, "the reopen above already repaired the file");
  assertAcknowledgedExactlyOnce(await idsAfterReopen(path, 5), [
    ...first.acknowledged,
    ...second.acknowledged,
  ]);
});

Deno.test("after SIGKILL during frequent rotation every acknowledged line is in exactly one file", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const archives = 999; // keep everything, so nothing acknowledged is dropped by the limit
  const { acknowledged } = await writeUntilKilled(folder.path, path, {
    run: "rotating",
    writers: 8,
    maxBytes: 32 * 1024,
    archives,
    acksBeforeKill: 3000,
  });
  assertAcknowledgedExactlyOnce(await idsAfterReopen(path, archives), acknowledged);
});
