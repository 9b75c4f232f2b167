/**
 * Configs far beyond anything Codex writes (nested thousands of levels deep, megabytes long,
 * tens of thousands of tables) are refused by `beacon apply` and `apply --plan` with one clear
 * error: what is wrong, in which file, what to do; exit 1, nothing written, no stack trace.
 * The limits are documented in lib/toml/toml_limits.ts and the README.
 */
import assert from "node:assert/strict";
import { makeTempHome, runBeacon } from "./support/beacon_bundle.ts";
import { TOML_LIMITS } from "../lib/toml/toml_limits.ts";

/** Writes `text` as the Codex config, runs `apply --plan` and `apply`, checks both refused it. */
async function assertRefused(text: string, expected: RegExp) {
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const config = `${tmp.codexHome}/config.toml`;
  await Deno.writeTextFile(config, text);
  for (const args of [["apply", "--plan"], ["apply"], ["apply", "--plan", "--json"]]) {
    const run = await runBeacon(args, tmp);
    const label = `${args.join(" ")}: ${run.stderr.slice(0, 2000)}`;
    assert.equal(run.code, 1, label);
    assert.equal(run.stdout, "", label);
    assert.match(run.stderr, expected, label);
    assert.ok(run.stderr.includes(config), `names the file: ${label}`);
    assert.match(run.stderr, /Beacon did not change it/, label);
    assert.doesNotMatch(run.stderr, /^\s+at /m, `no stack trace: ${label}`);
    assert.doesNotMatch(run.stderr, /RangeError|Maximum call stack/, label);
    assert.ok(run.stderr.length < 1000, `short: ${label}`);
  }
  assert.equal(await Deno.readTextFile(config), text, "the config is untouched");
  assert.deepEqual(
    [...Deno.readDirSync(tmp.codexHome)].map((entry) => entry.name),
    ["config.toml"],
    "no backup or temporary file",
  );
  const state = `${tmp.home}/.beacon/endpoint/state.json`;
  assert.equal(await Deno.stat(state).catch(() => null), null, "no state recorded");
}

Deno.test("a dotted key 4,000 levels deep is refused: depth, file, what to do", async () => {
  await assertRefused(
    `model = "o3"\n${Array(4000).fill("a").join(".")} = 1\n`,
    new RegExp(`nests keys 4000 levels deep.*limit is ${TOML_LIMITS.maxDepth}`),
  );
});

Deno.test("a dotted key under the [otel] table, too deep, is refused the same way", async () => {
  // Beacon's own values are compared with what is there: the comparison must not recurse.
  await assertRefused(
    `[otel]\nexporter.${Array(4000).fill("x").join(".")} = "deep"\n`,
    /nests keys 4002 levels deep/,
  );
});

Deno.test("inline tables nested deeper than the limit are refused as too deep, not as bad TOML", async () => {
  const depth = TOML_LIMITS.maxDepth * 3;
  await assertRefused(
    `x = ${"{ a = ".repeat(depth)}1${" }".repeat(depth)}\n`,
    /nests keys more than \d+ levels deep/,
  );
});

Deno.test("a config larger than the size limit is refused before it is parsed", async () => {
  // 100,000 tables (1.9 MB): the case that took 13 s and 2.4 GB before limits.
  const tables = Array.from({ length: 100_000 }, (_, i) => `[t${i}]\nk = ${i}\n`).join("");
  await assertRefused(tables, new RegExp(`is ${tables.length} bytes.*limit is`));
  // Not even valid TOML: the size is what is reported, so it was checked before any parser ran.
  const junk = "[".repeat(TOML_LIMITS.maxBytes + 1);
  await assertRefused(junk, /is \d+ bytes.*limit is/);
});

Deno.test("more tables than the limit, within the size limit, are refused", async () => {
  const count = TOML_LIMITS.maxTables + 1;
  const text = Array.from({ length: count }, (_, i) => `[t${i}]\n`).join("");
  assert.ok(new TextEncoder().encode(text).length < TOML_LIMITS.maxBytes);
  await assertRefused(text, new RegExp(`has ${count} tables.*limit is ${TOML_LIMITS.maxTables}`));
});

Deno.test("more values than the limit, within the size limit, are refused", async () => {
  const count = TOML_LIMITS.maxValues + 1;
  const text = `big = [${Array(count).fill("1").join(",")}]\n`;
  assert.ok(new TextEncoder().encode(text).length < TOML_LIMITS.maxBytes);
  await assertRefused(
    text,
    new RegExp(`has ${count + 1} values.*limit is ${TOML_LIMITS.maxValues}`),
  );
});
