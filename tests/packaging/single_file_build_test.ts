/**
 * The single-file build is what `deno compile` packs into the released binary (the `compile`
 * task compiles `dist/beacon.js`, the output of the `bundle` task) and what the CLI tests run.
 * Two properties of that file cost or save memory in every collector that runs it:
 *
 * - it is one-byte text: V8 keeps a script's source in memory for the life of the process, and
 *   a single character above U+00FF anywhere in it (an ellipsis in a regular expression was
 *   enough) makes V8 store the whole file as UTF-16, twice its size;
 * - it is minified: comments and long names are source the process holds for nothing;
 * - it imports no `node:` module at its top: the first one initialises Deno's Node layer, 5-10 MB
 *   in every process; features that need Node (the gRPC listener, the forwarders, the dashboard's
 *   SQLite, apply's no-follow writes) import theirs when they start.
 */
import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { join } from "node:path";
import { bundleBeacon } from "../support/beacon_bundle.ts";
import { startCollectorProcess } from "../support/collector_process.ts";
import { reservePort } from "../support/reserve_port.ts";

Deno.test("the single-file build is one-byte text (V8 would hold it as UTF-16 otherwise)", async () => {
  const text = await Deno.readTextFile(await bundleBeacon());
  const wide: string[] = [];
  for (let i = 0; i < text.length && wide.length < 5; i++) {
    if (text.charCodeAt(i) > 0xff) {
      wide.push(`offset ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 10))}`);
    }
  }
  assert.deepEqual(
    wide,
    [],
    "write characters above U+00FF as \\u escapes in regular expressions and template literals " +
      "(esbuild escapes them in plain strings only)",
  );
});

Deno.test("the single-file build imports no node: module at load time", async () => {
  const text = await Deno.readTextFile(await bundleBeacon());
  const found = [...text.matchAll(/(?:^|[;}\s])import\s*[^;("'`]*?from\s*"(node:[\w/]+)"/g)]
    .map((match) => match[1]);
  assert.deepEqual(
    found,
    [],
    "import node: modules with `await import(...)` where the feature that needs them starts " +
      "(static imports are hoisted to the bundle's top, so every process would load them)",
  );
});

Deno.test("the compiled binary is built from the minified single-file build the tests run", () => {
  const { bundle, compile } = denoJson.tasks;
  assert.match(bundle, /^deno run .* tools\/bundle_beacon\.ts dist\/beacon\.js$/);
  assert.match(
    Deno.readTextFileSync(new URL("../../tools/bundle_beacon.ts", import.meta.url)),
    /"bundle", "--quiet", "--minify", "--output", output, "main\.ts"/,
  );
  assert.match(compile, /^deno task bundle && deno compile .* dist\/beacon\.js$/);
  for (const workflow of [".github/workflows/release.yml", ".github/workflows/macos-pkg.yml"]) {
    const text = Deno.readTextFileSync(new URL(`../../${workflow}`, import.meta.url));
    assert.match(text, /deno task bundle/, `${workflow} builds the single file first`);
    assert.doesNotMatch(
      text,
      /deno compile [^\n]*(\\\n[^\n]*)*main\.ts/,
      `${workflow} compiles main.ts`,
    );
  }
});

Deno.test("every part the single file loads on first use loads: gRPC listener, forwarders, RPC, spans", async () => {
  // esbuild's --keep-names with --minify once broke the forwarder's dynamic require of
  // node:process in the bundle only: every lazily imported module is exercised here.
  const home = await Deno.makeTempDir({ prefix: "beacon-single-file-" });
  using grpcPort = reservePort();
  using closed = reservePort(); // nothing listens: the destinations just retry
  try {
    const policyPath = join(home, "policy.toml");
    await Deno.writeTextFile(
      policyPath,
      `version = 1\n[collector]\nlisten = "127.0.0.1:0"\ngrpc = true\n` +
        `grpc_listen = "127.0.0.1:${grpcPort.port}"\n` +
        `[runtime_log]\npath = "${join(home, "runtime.jsonl")}"\n` +
        `[[destinations]]\nname = "over-http"\nendpoint = "http://127.0.0.1:${closed.port}"\n` +
        `[[destinations]]\nname = "over-grpc"\nendpoint = "http://127.0.0.1:${closed.port}"\n` +
        `protocol = "grpc"\n`,
    );
    await using collector = await startCollectorProcess({ policyPath, home });
    await collector.waitForOutput(/forwarding to over-grpc/);
    assert.match(collector.output(), /\(OTLP\/gRPC\)/);
    const connect = await fetch(
      `${collector.url}/opentelemetry.proto.collector.logs.v1.LogsService/Export`,
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
    );
    assert.equal(connect.status, 200, await connect.text());
    const traces = await fetch(`${collector.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(traces.status, 200, await traces.text());
    assert.equal((await collector.stop("SIGTERM")).code, 0, collector.output());
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
