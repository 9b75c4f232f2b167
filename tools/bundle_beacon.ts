/**
 * Builds the single-file Beacon (`deno task bundle`): `deno bundle --minify` of main.ts, then its
 * CommonJS `require` deferred (see {@link deferNodeRequire}). The same build serves the binary
 * (`deno task compile` packs it), the release workflows and the tests.
 *
 * Usage: `deno run --allow-read --allow-write --allow-run --allow-env tools/bundle_beacon.ts OUT`
 *
 * @module
 */
import { deferNodeRequire } from "./defer_node_require.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** Bundles main.ts into `output` (a file path). Throws with the bundler's output on failure. */
export async function bundleBeaconTo(output: string): Promise<void> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--minify", "--output", output, "main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`deno bundle failed:\n${new TextDecoder().decode(result.stderr)}`);
  }
  await Deno.writeTextFile(output, deferNodeRequire(await Deno.readTextFile(output)));
}

if (import.meta.main) {
  const output = Deno.args[0] ?? "dist/beacon.js";
  await bundleBeaconTo(output);
  console.log(`bundled ${output}`);
}
