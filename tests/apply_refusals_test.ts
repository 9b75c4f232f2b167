/**
 * README, "Refused, untouched, exit 1": a Codex config that is not a regular file, a state file
 * Beacon cannot read, and every edit the TOML editor refuses. Each case runs `apply --plan` and
 * `apply` (the single-file build) and checks the exit code, the message, and that nothing was
 * written: the config byte for byte, no backup, no state file.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeTempHome, runBeacon } from "./support/beacon_bundle.ts";

async function entries(folder: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(folder), (entry) => entry.name)).sort();
}

async function refusedBoth(
  tmp: { env: Record<string, string> },
  message: RegExp,
): Promise<void> {
  for (const args of [["apply", "--plan"], ["apply"]]) {
    const run = await runBeacon(args, tmp);
    assert.equal(run.code, 1, `${args.join(" ")}: refused\n${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message, args.join(" "));
    assert.doesNotMatch(run.stderr, /\n\s+at /, "a message, not a stack trace");
    assert.doesNotMatch(run.stdout, /Wrote|Apply complete/);
  }
}

/** Edits Beacon's TOML editor will not make, and what it says. */
const UNEDITABLE: Array<[string, string, RegExp]> = [
  ["an array of tables named otel", `[[otel]]\nenvironment = "prod"\n`, /"otel" is an array/],
  ["otel as an array", `model = "o3"\notel = [1, 2]\n`, /"otel" is an array/],
  [
    "otel.tool_result as an array of tables",
    `[otel]\nenvironment = "dev"\n\n[[otel.tool_result]]\nmax_bytes = 5\n`,
    /"otel\.tool_result" is an array/,
  ],
  ["otel.tool_result as an array", `[otel]\ntool_result = [1]\n`, /"otel\.tool_result" is an/],
  [
    "otel as a string",
    `otel = "none"\n`,
    /an edit would have changed values Beacon does not manage/,
  ],
];

for (const [name, text, reason] of UNEDITABLE) {
  Deno.test(`apply refuses a config it cannot edit safely: ${name}`, async () => {
    await using tmp = await makeTempHome();
    await Deno.mkdir(tmp.codexHome);
    const config = join(tmp.codexHome, "config.toml");
    await Deno.writeTextFile(config, text);
    await refusedBoth(
      tmp,
      new RegExp(`Cannot update ".*config\\.toml": Beacon cannot edit it safely: ${reason.source}`),
    );
    assert.equal(await Deno.readTextFile(config), text, "untouched");
    assert.deepEqual(await entries(tmp.codexHome), ["config.toml"], "no backup, no temporary file");
    assert.equal(
      await Deno.stat(join(tmp.home, ".beacon/endpoint/state.json")).catch(() => null),
      null,
    );
  });
}

Deno.test("apply refuses a config that is not a regular file: folder, FIFO, link to either", async () => {
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const config = join(tmp.codexHome, "config.toml");
  const fifo = join(tmp.home, "pipe");
  const mkfifo = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.ok(mkfifo.success, "mkfifo (coreutils) is needed");
  const folder = join(tmp.home, "folder");
  await Deno.mkdir(folder);
  const makers: Array<[string, () => Promise<void>]> = [
    ["a folder", () => Deno.mkdir(config)],
    // Reading a FIFO would wait forever for a writer: refused before any read.
    ["a FIFO", async () => {
      const made = await new Deno.Command("mkfifo", { args: [config] }).output();
      assert.ok(made.success);
    }],
    ["a link to a FIFO", () => Deno.symlink(fifo, config)],
    ["a link to a folder", () => Deno.symlink(folder, config)],
  ];
  for (const [name, make] of makers) {
    await make();
    const before = await entries(tmp.codexHome);
    try {
      await refusedBoth(tmp, /config\.toml": it is not a regular file\. Nothing was changed\./);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
    assert.deepEqual(await entries(tmp.codexHome), before, `${name}: nothing created`);
    assert.equal((await Deno.lstat(config)).isFile, false);
    await Deno.remove(config);
  }
});

Deno.test("apply refuses a state file it cannot read, and leaves it and the config alone", async () => {
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const config = join(tmp.codexHome, "config.toml");
  const text = `# mine\nmodel = "o3"\n`;
  await Deno.writeTextFile(config, text);
  const state = join(tmp.home, ".beacon", "endpoint", "state.json");
  await Deno.mkdir(join(state, ".."), { recursive: true });
  const cases: Array<[string, string, RegExp]> = [
    ["not JSON", `{"formatVersion": 1, "files": {`, /not valid JSON/],
    [
      "another version",
      `{"formatVersion": 2, "files": {}}\n`,
      /not a state file of this Beacon version/,
    ],
    ["no files", `{"formatVersion": 1}\n`, /not a state file of this Beacon version/],
  ];
  for (const [name, content, detail] of cases) {
    await Deno.writeTextFile(state, content);
    try {
      await refusedBoth(
        tmp,
        new RegExp(`Cannot read Beacon's state file ".*state\\.json": ${detail.source}.*untouched`),
      );
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
    assert.equal(await Deno.readTextFile(state), content, `${name}: state untouched`);
    assert.equal(await Deno.readTextFile(config), text, `${name}: config untouched`);
  }
  // A folder where the state file belongs cannot be read either.
  await Deno.remove(state);
  await Deno.mkdir(state);
  await refusedBoth(
    tmp,
    /Cannot read Beacon.s state file ".*state\.json": it cannot be read \(.*untouched/,
  );
  assert.equal(await Deno.readTextFile(config), text);
  assert.deepEqual(await entries(tmp.codexHome), ["config.toml"]);
});
