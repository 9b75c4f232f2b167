import assert from "node:assert/strict";
import { hashContent } from "../content/hash_content.ts";
import { applyPathRule } from "./apply_path_rule.ts";

const PATHS = ["src/a.ts", "/tmp/ghp_abcdefghijklmnopqrstuvwxyz0123456789/x"];

Deno.test("applyPathRule: keep, redact, hash, drop", () => {
  assert.deepEqual(applyPathRule(PATHS, "keep", 4096), {
    path_count: 2,
    paths_mode: "keep",
    paths: PATHS,
  });
  assert.deepEqual(applyPathRule(PATHS, "redact", 4096).paths, [
    "src/a.ts",
    "/tmp/[REDACTED:github-token]/x",
  ]);
  assert.deepEqual(applyPathRule(PATHS, "hash", 4096).paths, PATHS.map(hashContent));
  assert.deepEqual(applyPathRule(PATHS, "drop", 4096), { path_count: 2, paths_mode: "drop" });
});

Deno.test("applyPathRule: the list stops at max_field_bytes and says so", () => {
  const many = Array.from({ length: 100 }, (_, i) => `dir/file-${String(i).padStart(3, "0")}.ts`);
  const cut = applyPathRule(many, "keep", 64 + 5);
  assert.equal(cut.path_count, 100);
  assert.equal(cut.paths?.length, 4, "four 16-byte paths fit in 69 bytes");
  assert.equal(cut.paths_truncated, true);
  assert.equal(applyPathRule(many, "hash", 64 * 10).paths?.length, 10);
  assert.equal(applyPathRule(["x".repeat(100)], "keep", 64).paths?.length, 0);
  assert.equal("paths_truncated" in applyPathRule(["a"], "keep", 64), false);
});
