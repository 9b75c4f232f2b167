import assert from "node:assert/strict";
import { join } from "../../host/file_path.ts";
import { type LogLine, readLogLinesFrom } from "./read_log_lines_from.ts";

async function linesOf(text: string, start = 0): Promise<LogLine[]> {
  const dir = await Deno.makeTempDir({ prefix: "beacon-read-log-lines-" });
  try {
    const path = join(dir, "runtime.jsonl");
    await Deno.writeTextFile(path, text);
    using file = await Deno.open(path);
    const lines: LogLine[] = [];
    for await (const line of readLogLinesFrom(file, start)) lines.push(line);
    return lines;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("readLogLinesFrom gives a line longer than a read block whole, with its offset", async () => {
  // 700,000 bytes over three 256 KiB blocks; starting at an odd offset, the two-byte characters
  // are cut in two at each block's (even) end.
  const long = "é".repeat(350_000);
  const lines = await linesOf(`first!\n${long}\nlast\ntorn`);
  assert.deepEqual(lines.map(({ offset, length, overlong }) => ({ offset, length, overlong })), [
    { offset: 0, length: 6, overlong: false },
    { offset: 7, length: 700_000, overlong: false },
    { offset: 700_008, length: 4, overlong: false },
  ]);
  assert.equal(lines[0].text, "first!");
  assert.ok(lines[1].text === long, "the long line, whole");
  assert.equal(lines[2].text, "last");
});

Deno.test("readLogLinesFrom starts at an offset and gives no unterminated tail", async () => {
  const lines = await linesOf("one\ntwo\nthree", 4);
  assert.deepEqual(lines, [{ text: "two", offset: 4, length: 3, overlong: false }]);
});
