import assert from "node:assert/strict";
import { planRotation } from "./rotate_runtime_log.ts";

/** Runs a plan over a set of archive numbers, failing on any overwrite or missing source. */
function apply(existing: number[], archives: number): number[] {
  const plan = planRotation(existing, archives);
  const files = new Map(existing.map((n) => [n, `old ${n}`]));
  for (const n of plan.remove) assert.ok(files.delete(n), `removes missing ${n}`);
  for (const [from, to] of plan.renames) {
    assert.ok(files.has(from), `renames missing ${from}`);
    assert.ok(!files.has(to), `rename ${from} -> ${to} overwrites ${to}`);
    files.set(to, files.get(from)!);
    files.delete(from);
  }
  assert.ok(!files.has(1), "archive 1 must be free for the live file");
  // The kept archives are the newest ones, in their old order, numbered 2, 3, ...
  const kept = [...existing].sort((a, b) => a - b).slice(0, Math.max(0, archives - 1));
  assert.deepEqual(
    [...files.keys()].sort((a, b) => a - b),
    kept.map((_, i) => i + 2),
  );
  assert.deepEqual(
    [...files.entries()].sort(([a], [b]) => a - b).map(([, content]) => content),
    kept.map((n) => `old ${n}`),
  );
  return [...files.keys()];
}

Deno.test("planRotation shifts a full set and drops the oldest", () => {
  assert.deepEqual(planRotation([1, 2, 3, 4, 5], 5), {
    remove: [5],
    renames: [[4, 5], [3, 4], [2, 3], [1, 2]],
  });
  assert.deepEqual(planRotation([], 5), { remove: [], renames: [] });
  assert.deepEqual(planRotation([1, 2], 0), { remove: [1, 2], renames: [] });
  assert.deepEqual(planRotation([1, 2], 1), { remove: [1, 2], renames: [] });
});

Deno.test("planRotation closes gaps a crash mid-rotation left instead of dropping an extra archive", () => {
  assert.deepEqual(planRotation([1, 3], 3), { remove: [], renames: [[1, 2]] });
  assert.deepEqual(planRotation([1, 2, 4, 5], 5), { remove: [], renames: [[2, 3], [1, 2]] });
  assert.deepEqual(planRotation([3, 5], 5), { remove: [], renames: [[3, 2], [5, 3]] });
});

Deno.test("planRotation never overwrites, for every set of archives 1..8 and every limit 0..9", () => {
  for (let mask = 0; mask < 1 << 8; mask++) {
    const existing = Array.from({ length: 8 }, (_, i) => i + 1).filter((n) =>
      mask & (1 << (n - 1))
    );
    for (let archives = 0; archives <= 9; archives++) apply(existing, archives);
  }
});
