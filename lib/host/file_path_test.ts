import assert from "node:assert/strict";
import { posix } from "node:path";
import fc from "fast-check";
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from "./file_path.ts";

// Paths built from the pieces that trip path code up: roots, repeated and trailing slashes,
// "." and ".." (alone and inside names), empty strings and spaces.
const piece = fc.constantFrom("/", "//", ".", "..", "...", "a", "b", ".a", "a.", "..b", "", " ");
const path = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(""));
// Any text over a small alphabet, so shapes the pieces above do not make are tried too.
const text = fc.string({ unit: fc.constantFrom("/", ".", "a", " "), maxLength: 12 });
const anyPath = fc.oneof(path, text);
const paths = fc.array(anyPath, { maxLength: 5 });

// Enough runs to reach the rarer shapes; each run is microseconds.
const runs = { numRuns: 2000 };

const EDGE_CASES = [
  "",
  "/",
  "//",
  "///",
  ".",
  "..",
  "./",
  "../",
  "/.",
  "/..",
  "/../a",
  "//a",
  "///a",
  "//a/b",
  "a//b",
  "a/b/",
  "a/b//",
  "a/./b",
  "a/../..",
  "../a/..",
  "../..",
  "a/../../..",
  "a/..",
  "a/../",
  "...",
  ".../..",
  "a/.../b",
  "..a/..",
  " ",
  " /",
  "/ /.. /",
];

Deno.test("normalize equals node:path posix.normalize", () => {
  for (const edge of EDGE_CASES) assert.equal(normalize(edge), posix.normalize(edge), edge);
  fc.assert(fc.property(anyPath, (p) => normalize(p) === posix.normalize(p)), runs);
});

Deno.test("join equals node:path posix.join", () => {
  assert.equal(join(), posix.join());
  for (const edge of EDGE_CASES) {
    assert.equal(join(edge), posix.join(edge), edge);
    assert.equal(join(edge, "a"), posix.join(edge, "a"), edge);
    assert.equal(join("a", edge), posix.join("a", edge), edge);
  }
  fc.assert(fc.property(paths, (ps) => join(...ps) === posix.join(...ps)), runs);
});

Deno.test("resolve equals node:path posix.resolve, relative to the current folder", () => {
  assert.equal(resolve(), posix.resolve());
  for (const edge of EDGE_CASES) {
    assert.equal(resolve(edge), posix.resolve(edge), edge);
    assert.equal(resolve("/x", edge, "b"), posix.resolve("/x", edge, "b"), edge);
  }
  fc.assert(fc.property(paths, (ps) => resolve(...ps) === posix.resolve(...ps)), runs);
});

Deno.test("resolve starts from Deno.cwd() for relative paths", () => {
  assert.equal(resolve("logs"), `${Deno.cwd()}/logs`);
  assert.equal(resolve(""), Deno.cwd());
});

Deno.test("dirname equals node:path posix.dirname", () => {
  for (const edge of EDGE_CASES) assert.equal(dirname(edge), posix.dirname(edge), edge);
  fc.assert(fc.property(anyPath, (p) => dirname(p) === posix.dirname(p)), runs);
});

Deno.test("basename equals node:path posix.basename", () => {
  for (const edge of EDGE_CASES) assert.equal(basename(edge), posix.basename(edge), edge);
  fc.assert(fc.property(anyPath, (p) => basename(p) === posix.basename(p)), runs);
});

Deno.test("isAbsolute and sep equal node:path posix", () => {
  assert.equal(sep, posix.sep);
  for (const edge of EDGE_CASES) assert.equal(isAbsolute(edge), posix.isAbsolute(edge), edge);
  fc.assert(fc.property(anyPath, (p) => isAbsolute(p) === posix.isAbsolute(p)), runs);
});

Deno.test("file_path.ts imports no node: module", async () => {
  const source = await Deno.readTextFile(new URL("./file_path.ts", import.meta.url));
  assert.doesNotMatch(source, /(?:from|import)\s*\(?\s*["']node:/);
});
