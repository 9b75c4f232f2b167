import assert from "node:assert/strict";
import { join } from "node:path";
import { openRuntimeLog } from "../../lib/runtime_log/open_runtime_log.ts";
import { tornFragmentPath } from "../../lib/runtime_log/repair_torn_tail.ts";
import { readRuntimeLogLines, temporaryFolder } from "./support/read_runtime_log.ts";

Deno.test("open cuts a torn last line, keeps it in the fragment file and reports the repair", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  await Deno.writeTextFile(path, '{"n":1}\n{"n":2}\n{"n":3,"tex');
  const log = await openRuntimeLog({ path });
  const tornPath = tornFragmentPath(path);
  assert.equal(tornPath, join(folder.path, "runtime.jsonl.torn"));
  assert.deepEqual(log.repair, { repairedBytes: 11, tornPath });
  assert.equal(log.stats().repairedBytes, 11);
  assert.equal(await Deno.readTextFile(path), '{"n":1}\n{"n":2}\n');
  assert.equal(await Deno.readTextFile(tornPath), '{"n":3,"tex\n');
  assert.equal((await Deno.stat(tornPath)).mode! & 0o777, 0o600);

  await log.append([{ n: 4 }]);
  await log.close();
  assert.deepEqual(await readRuntimeLogLines(path), ['{"n":1}', '{"n":2}', '{"n":4}']);
});

Deno.test("each repair adds its fragment to the fragment file; earlier fragments are kept", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  await Deno.writeTextFile(path, '{"n":1}\n{"first');
  await (await openRuntimeLog({ path })).close();
  await Deno.writeTextFile(path, '{"second', { append: true });
  const log = await openRuntimeLog({ path });
  assert.equal(log.repair.repairedBytes, 8);
  await log.close();
  assert.equal(await Deno.readTextFile(tornFragmentPath(path)), '{"first\n{"second\n');
  assert.equal(await Deno.readTextFile(path), '{"n":1}\n');
});

Deno.test("a file that is one long fragment without any newline is emptied, the fragment kept", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  const fragment = "z".repeat(200_000); // longer than one scan block
  await Deno.writeTextFile(path, fragment);
  const log = await openRuntimeLog({ path });
  assert.equal(log.repair.repairedBytes, 200_000);
  assert.equal(await Deno.readTextFile(path), "");
  assert.equal(await Deno.readTextFile(tornFragmentPath(path)), fragment + "\n");
  await log.close();
});

Deno.test("an intact log and an empty log need no repair and create no fragment file", async () => {
  await using folder = await temporaryFolder();
  for (const [name, content] of [["intact.jsonl", '{"n":1}\n'], ["empty.jsonl", ""]]) {
    const path = join(folder.path, name);
    await Deno.writeTextFile(path, content);
    const log = await openRuntimeLog({ path });
    assert.deepEqual(log.repair, { repairedBytes: 0, tornPath: null });
    await log.close();
    assert.equal(await Deno.readTextFile(path), content);
    await assert.rejects(Deno.stat(tornFragmentPath(path)), Deno.errors.NotFound);
  }
});

Deno.test("when the fragment cannot be kept the repair still happens and says so", async () => {
  await using folder = await temporaryFolder();
  const path = join(folder.path, "runtime.jsonl");
  await Deno.writeTextFile(path, '{"n":1}\n{"n":');
  await Deno.mkdir(tornFragmentPath(path)); // a folder where the fragment file should go
  const log = await openRuntimeLog({ path });
  assert.deepEqual(log.repair, { repairedBytes: 5, tornPath: null });
  assert.equal(await Deno.readTextFile(path), '{"n":1}\n');
  await log.close();
});
