import assert from "node:assert/strict";
import { join } from "node:path";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { readRuntimeLogLines, temporaryFolder } from "./support/read_runtime_log.ts";

Deno.test("a log folder deleted while running is recreated, with its modes, on the next append", async () => {
  await using folder = await temporaryFolder();
  const logs = join(folder.path, "endpoint", "logs");
  const path = join(logs, "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  await log.append([{ n: 1 }]);
  await Deno.remove(join(folder.path, "endpoint"), { recursive: true });

  await log.append([{ n: 2 }]);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":2}']);
  assert.equal((await Deno.stat(logs)).mode! & 0o777, 0o700);
  assert.equal((await Deno.stat(join(folder.path, "endpoint"))).mode! & 0o777, 0o700);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  assert.deepEqual(log.health(), { status: "ok" }, "nothing failed: no incident");
  await log.close();
});

Deno.test("a log file deleted or moved away while running is replaced by a new one at the path", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const log = await openRuntimeLog({ path });
  await log.append([{ n: 1 }]);
  await Deno.remove(path);
  await log.append([{ n: 2 }]);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":2}']);

  await Deno.rename(path, `${path}.moved`); // as an external log rotator would
  await log.append([{ n: 3 }]);
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":3}']);
  assert.equal(await Deno.readTextFile(`${path}.moved`), '{"n":2}\n');
  await log.close();
});
