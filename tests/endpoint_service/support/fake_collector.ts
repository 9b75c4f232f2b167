/**
 * Stands in for `beacon collector run` in the background-process tests: its command line holds
 * `collector run`, it appends a heartbeat line to `--heartbeat PATH` every 50 ms, and on SIGTERM
 * writes `stopped` and exits 0, as the real collector does.
 *
 * Usage: deno run --allow-read --allow-write fake_collector.ts collector run --heartbeat PATH
 *   [--ignore-sigterm] (keeps running after SIGTERM, so only SIGKILL stops it)
 *   [--fail] (prints an error and exits 3 at once, like a collector with a bad policy)
 */
const args = Deno.args;
const heartbeat = args[args.indexOf("--heartbeat") + 1];
if (args[0] !== "collector" || args[1] !== "run" || !heartbeat) {
  console.error("usage: fake_collector.ts collector run --heartbeat PATH");
  Deno.exit(2);
}
if (args.includes("--fail")) {
  console.error("Cannot load policy: fixture failure for tests");
  Deno.exit(3);
}
const append = (line: string) => Deno.writeTextFileSync(heartbeat, line + "\n", { append: true });
console.log(`fake collector ${Deno.pid} listening on http://127.0.0.1:0 (cwd ${Deno.cwd()})`);
append(`started ${Deno.pid} ${JSON.stringify({ cwd: Deno.cwd(), env: Deno.env.toObject() })}`);
const beat = setInterval(() => append(`beat ${Date.now()}`), 50);
Deno.addSignalListener("SIGTERM", () => {
  if (args.includes("--ignore-sigterm")) return append("ignored SIGTERM");
  clearInterval(beat);
  append("stopped");
  Deno.exit(0);
});
