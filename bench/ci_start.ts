/**
 * How long `beacon ci start` takes until its collector is ready: the wall time of the whole
 * command as CI runs it (process start included; the command returns only once the run's
 * collector answers /healthz), from the single-file build with the binary's permissions. Also
 * `ci finish` of the same empty run. Prints figures; asserts nothing.
 *
 * Usage: deno run --allow-all bench/ci_start.ts [runs]
 */
import { join } from "node:path";
import { runBeacon } from "../tests/support/beacon_bundle.ts";

/** Wall times in milliseconds, sorted: of `ci start` and of `ci finish`. */
export async function measureCiStart(runs = 10): Promise<{ start: number[]; finish: number[] }> {
  const home = await Deno.makeTempDir({ prefix: "beacon-bench-ci-" });
  const env = { HOME: home };
  const start: number[] = [];
  const finish: number[] = [];
  try {
    for (let i = -1; i < runs; i++) { // run -1 warms the file cache
      const base = join(home, `run-${i + 1}`);
      let began = performance.now();
      const started = await runBeacon(["ci", "start", "--base-dir", base], { env });
      const startMs = performance.now() - began;
      if (started.code !== 0) throw new Error(`ci start failed: ${started.stderr}`);
      began = performance.now();
      const finished = await runBeacon(["ci", "finish", "--state", join(base, "state.json")], {
        env,
      });
      const finishMs = performance.now() - began;
      if (finished.code !== 0) throw new Error(`ci finish failed: ${finished.stderr}`);
      if (i >= 0) {
        start.push(startMs);
        finish.push(finishMs);
      }
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
  return { start: start.sort((a, b) => a - b), finish: finish.sort((a, b) => a - b) };
}

/** "median N ms, max N ms". */
export function describeTimes(times: number[]): string {
  return `median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${
    times.at(-1)!.toFixed(0)
  } ms`;
}

if (import.meta.main) {
  const runs = Number(Deno.args[0] ?? 10);
  const { start, finish } = await measureCiStart(runs);
  console.log(`ci start until the collector is ready (${runs} runs): ${describeTimes(start)}`);
  console.log(`  ${start.map((t) => t.toFixed(0)).join(", ")} ms`);
  console.log(`ci finish of an empty run (${runs} runs): ${describeTimes(finish)}`);
}
