import assert from "node:assert/strict";
import { parseToml } from "./parse_toml.ts";
import { TOML_LIMITS } from "./toml_limits.ts";

function limitOf(text: string): string | undefined {
  const parsed = parseToml(text);
  if (parsed.ok) return undefined;
  assert.ok(parsed.error.limit, `a limit, not a syntax error: ${parsed.error.message}`);
  return parsed.error.limit.limit;
}

Deno.test("depth: a dotted key exactly at the limit is read, one more level is refused", () => {
  const key = (levels: number) => Array.from({ length: levels }, (_, i) => `k${i}`).join(".");
  assert.equal(limitOf(`${key(TOML_LIMITS.maxDepth)} = 1\n`), undefined);
  assert.equal(limitOf(`${key(TOML_LIMITS.maxDepth + 1)} = 1\n`), "depth");
  // Headers, dotted keys and arrays add up.
  const half = TOML_LIMITS.maxDepth / 2;
  assert.equal(limitOf(`[${key(half)}]\n${key(half - 1)} = [1]\n`), undefined);
  assert.equal(limitOf(`[${key(half)}]\n${key(half)} = [1]\n`), "depth");
});

Deno.test("depth: inline nesting past the parser's own guard is a limit, with its line", () => {
  const depth = TOML_LIMITS.maxDepth + 5;
  const parsed = parseToml(`a = 1\nx = ${"[".repeat(depth)}${"]".repeat(depth)}\n`);
  assert.ok(!parsed.ok);
  assert.equal(parsed.error.limit?.limit, "depth");
  assert.match(parsed.error.message, /more than 100 levels deep \(line 2\)/);
});

Deno.test("tables and values: exactly at the limit is read, one more is refused", () => {
  const tables = (n: number) => Array.from({ length: n }, (_, i) => `[t${i}]\n`).join("");
  assert.equal(limitOf(tables(TOML_LIMITS.maxTables)), undefined);
  assert.equal(limitOf(tables(TOML_LIMITS.maxTables + 1)), "tables");
  // Inline tables count too.
  assert.equal(limitOf(`a = [${Array(TOML_LIMITS.maxTables + 1).fill("{}").join(",")}]`), "tables");
  // `a` and its items: maxValues values in all.
  const values = (n: number) => `a = [${Array(n - 1).fill("1").join(",")}]\n`;
  assert.equal(limitOf(values(TOML_LIMITS.maxValues)), undefined);
  assert.equal(limitOf(values(TOML_LIMITS.maxValues + 1)), "values");
});

Deno.test("size: counted in UTF-8 bytes, checked before parsing", () => {
  const comment = (bytes: number) => "#" + "x".repeat(bytes - 2) + "\n";
  assert.equal(limitOf(comment(TOML_LIMITS.maxBytes)), undefined);
  assert.equal(limitOf(comment(TOML_LIMITS.maxBytes + 1)), "bytes");
  // "é" is two bytes: half as many characters already reach the limit.
  const accents = "#" + "é".repeat(TOML_LIMITS.maxBytes / 2) + "\n";
  assert.ok(accents.length < TOML_LIMITS.maxBytes);
  assert.equal(limitOf(accents), "bytes");
  // Invalid TOML, too large: the size is reported, so no parser ran.
  assert.equal(limitOf("[".repeat(TOML_LIMITS.maxBytes + 1)), "bytes");
});
