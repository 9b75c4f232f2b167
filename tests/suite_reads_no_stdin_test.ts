/**
 * `deno task test` loads every file named like a test (`*_test.ts`, `*.test.ts`, `test.ts`...)
 * anywhere in the repository. A program that reads stdin and happens to have such a name (the
 * benchmark's collector once did) makes the suite wait forever in a terminal. None may.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
/** Deno's default test file pattern. */
const TEST_FILE = /^(?:.*[_.])?test\.(?:ts|tsx|mts|js|mjs|jsx)$/;
/** The folders deno.json excludes from `deno test`, and git's own. */
const SKIPPED = new Set(["dist", "node_modules", ".tmp", ".git", "tools/node_modules"]);
const READS_STDIN = /\b(?:Deno|process)\.stdin\b/;

async function* testFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (SKIPPED.has(relative(ROOT, path))) continue;
    if (entry.isDirectory) yield* testFiles(path);
    else if (entry.isFile && TEST_FILE.test(entry.name)) yield path;
  }
}

Deno.test("no file the test runner loads reads stdin", async () => {
  const readers: string[] = [];
  let files = 0;
  for await (const path of testFiles(ROOT)) {
    files++;
    if (READS_STDIN.test(await Deno.readTextFile(path))) readers.push(relative(ROOT, path));
  }
  assert.ok(files > 100, `found only ${files} test files: is the pattern right?`);
  assert.deepEqual(readers, [], "rename these so `deno test` does not load them");
});
