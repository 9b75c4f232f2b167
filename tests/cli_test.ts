/**
 * The CLI as shipped: every test spawns the single-file build with the compiled binary's
 * permission flags, a temporary HOME and CODEX_HOME, and checks output, files and exit codes.
 */
import assert from "node:assert/strict";
import { makeTempHome, runBeacon } from "./support/beacon_bundle.ts";
import denoJson from "../deno.json" with { type: "json" };

const TOKEN = "shared-token-ABCDEFGHIJKLMNOP";

Deno.test("beacon --help, <command> --help and --version", async () => {
  await using tmp = await makeTempHome();
  const help = await runBeacon(["--help"], tmp);
  assert.equal(help.code, 0, help.stderr);
  for (const command of ["apply", "policy validate", "policy schema"]) {
    assert.match(help.stdout, new RegExp(`\\n  ${command} `));
  }
  const applyHelp = await runBeacon(["apply", "--help"], tmp);
  assert.equal(applyHelp.code, 0);
  assert.match(applyHelp.stdout, /^Usage: beacon apply \[--plan\]/);
  assert.match(applyHelp.stdout, /--force/);
  const version = await runBeacon(["--version"], tmp);
  assert.equal(version.stdout, `beacon ${denoJson.version}\n`);
});

Deno.test("--policy, --json and --system work before the command too; --help, --version anywhere", async () => {
  await using tmp = await makeTempHome();
  const policy = `${tmp.home}/team.toml`;
  await Deno.writeTextFile(policy, `version = 1\n[harnesses.codex]\nenvironment = "team"\n`);
  const before = await runBeacon(["--policy", policy, "apply", "--plan"], tmp);
  assert.equal(before.code, 2, before.stderr);
  assert.match(before.stdout, /\+ otel\.environment += "team"/);
  const after = await runBeacon(["apply", "--plan", "--policy", policy], tmp);
  assert.equal(before.stdout, after.stdout, "the same plan wherever --policy is");
  const json = await runBeacon(["--json", `--policy=${policy}`, "apply", "--plan"], tmp);
  assert.equal(json.code, 2, json.stderr);
  assert.equal(JSON.parse(json.stdout).plan.policySource, policy);

  for (const args of [["--help", "apply"], ["apply", "--plna", "--help"], ["help", "apply"]]) {
    const help = await runBeacon(args, tmp);
    assert.equal(help.code, 0, `${args.join(" ")}: ${help.stderr}`);
    assert.match(help.stdout, /^Usage: beacon apply \[--plan\]/);
  }
  const group = await runBeacon(["endpoint", "--help"], tmp);
  assert.equal(group.code, 0, group.stderr);
  assert.match(group.stdout, /\n {2}endpoint uninstall /);
  assert.doesNotMatch(group.stdout, /\n {2}apply /);
  const version = await runBeacon(["apply", "--version"], tmp);
  assert.equal(version.stdout, `beacon ${denoJson.version}\n`);
  assert.equal(await Deno.stat(tmp.codexHome).catch(() => null), null, "nothing was written");
});

Deno.test("unknown commands and flags: one line naming the closest choice, exit 2", async () => {
  await using tmp = await makeTempHome();
  const cases: Array<[string[], RegExp]> = [
    [["aply"], /^error: unknown command "aply"; did you mean "beacon apply"\?\n$/],
    [
      ["policy", "valdate", "x"],
      /^error: unknown command "policy valdate"; did you mean "beacon policy validate"\?\n$/,
    ],
    [["apply", "--plna"], /^error: beacon apply: unknown flag --plna; did you mean --plan\?\n$/],
    [["apply", "--policy"], /^error: beacon apply: --policy needs a value \(--policy PATH\)\n$/],
    [["policy", "validate"], /^error: beacon policy validate: missing PATH/],
    [["policy"], /^error: "beacon policy" needs a subcommand: validate, schema\n$/],
  ];
  for (const [args, expected] of cases) {
    const run = await runBeacon(args, tmp);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, expected);
    assert.equal(run.stderr.trim().split("\n").length, 1, "one line");
    assert.equal(run.stdout, "");
  }
  assert.equal(await Deno.stat(tmp.codexHome).catch(() => null), null, "nothing was written");
});

Deno.test("apply --plan, apply, apply --plan: changes, then none; files user-only", async () => {
  await using tmp = await makeTempHome();
  const plan = await runBeacon(["apply", "--plan"], tmp);
  assert.equal(plan.code, 2, plan.stderr);
  assert.match(plan.stdout, /\+ otel\.exporter +=/);
  assert.match(plan.stdout, /Plan: 8 to add, 0 to change, 0 to destroy\.\n$/);
  assert.equal(await Deno.stat(tmp.codexHome).catch(() => null), null, "plan writes nothing");

  const apply = await runBeacon(["apply"], tmp);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(apply.stdout, /Apply complete: 8 added, 0 changed, 0 destroyed\./);
  const config = `${tmp.codexHome}/config.toml`;
  assert.equal((await Deno.stat(config)).mode! & 0o777, 0o600);
  assert.equal((await Deno.stat(tmp.codexHome)).mode! & 0o777, 0o700);
  const written = await Deno.readFile(config);

  const again = await runBeacon(["apply", "--plan"], tmp);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /No changes\./);
  const reapply = await runBeacon(["apply"], tmp);
  assert.equal(reapply.code, 0);
  assert.doesNotMatch(reapply.stdout, /Wrote/);
  assert.deepEqual(await Deno.readFile(config), written, "byte-identical");
});

Deno.test("apply --plan --json masks the token; the config gets it; BEACON_POLICY is used", async () => {
  await using tmp = await makeTempHome();
  const policy = `${tmp.home}/team-policy.toml`;
  await Deno.writeTextFile(policy, `version = 1\n[collector]\ntoken = "${TOKEN}"\n`);
  const env = { ...tmp.env, BEACON_POLICY: policy };
  const plan = await runBeacon(["apply", "--plan", "--json"], { env });
  assert.equal(plan.code, 2, plan.stderr);
  assert.ok(!plan.stdout.includes(TOKEN), "the token never reaches the output");
  const json = JSON.parse(plan.stdout);
  assert.equal(json.plan.policySource, policy);
  assert.deepEqual(json.summary, { add: 8, change: 0, destroy: 0, conflicts: 0 });
  const exporter = json.plan.steps[0].changes.find((c: { key: string }) =>
    c.key === "otel.exporter"
  );
  assert.equal(exporter.after["otlp-http"].headers.authorization, "Bearer ****");

  const apply = await runBeacon(["apply"], { env });
  assert.equal(apply.code, 0, apply.stderr);
  assert.ok(!apply.stdout.includes(TOKEN));
  assert.match(
    await Deno.readTextFile(`${tmp.codexHome}/config.toml`),
    new RegExp(`authorization = "Bearer ${TOKEN}"`),
  );
});

Deno.test("policy validate and policy schema", async () => {
  await using tmp = await makeTempHome();
  const good = `${tmp.home}/good.toml`;
  await Deno.writeTextFile(good, `version = 1\n[content]\nprompt = "hash"\n`);
  const valid = await runBeacon(["policy", "validate", good], tmp);
  assert.equal(valid.code, 0, valid.stderr);
  assert.match(valid.stdout, /valid policy/);

  const syntax = `${tmp.home}/syntax.toml`;
  await Deno.writeTextFile(syntax, `version = 1\n[content\nprompt = "hash"\n`);
  const badSyntax = await runBeacon(["policy", "validate", syntax], tmp);
  assert.equal(badSyntax.code, 1);
  assert.match(badSyntax.stderr, new RegExp(`${syntax}:2:\\d+`));

  const schemaErrors = `${tmp.home}/schema.toml`;
  await Deno.writeTextFile(
    schemaErrors,
    `version = 1\n[content]\npromt = "hash"\ntool_output = "shred"\n`,
  );
  const badSchema = await runBeacon(["policy", "validate", schemaErrors], tmp);
  assert.equal(badSchema.code, 1);
  assert.match(badSchema.stderr, /content\.promt: .*did you mean "prompt"/);
  assert.match(badSchema.stderr, /content\.tool_output: .*keep.*redact.*hash.*drop/);

  const schema = await runBeacon(["policy", "schema"], tmp);
  assert.equal(schema.code, 0);
  const json = JSON.parse(schema.stdout);
  assert.equal(json.type, "object");
  assert.equal(json.additionalProperties, false);
  assert.ok(json.properties.content.properties.prompt);
});

Deno.test("a config that is not valid TOML: file:line:col, exit 1, file untouched", async () => {
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const text = `model = "o3"\n[otel\nenvironment = "dev"\n`;
  await Deno.writeTextFile(`${tmp.codexHome}/config.toml`, text);
  for (const args of [["apply", "--plan"], ["apply"]]) {
    const run = await runBeacon(args, tmp);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`${tmp.codexHome}/config\\.toml:2:\\d+: `));
    assert.match(run.stderr, /did not change it/);
  }
  assert.equal(await Deno.readTextFile(`${tmp.codexHome}/config.toml`), text);
});

Deno.test("a saved plan is refused once the file changed, and applies when it did not", async () => {
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const config = `${tmp.codexHome}/config.toml`;
  await Deno.writeTextFile(config, `model = "o3"\n`);
  const saved = `${tmp.home}/plan.json`;
  const plan = await runBeacon(["apply", "--plan", "--out", saved], tmp);
  assert.equal(plan.code, 2, plan.stderr);
  assert.equal((await Deno.stat(saved)).mode! & 0o777, 0o600);

  await Deno.writeTextFile(config, `model = "o4-mini"\n`);
  const stale = await runBeacon(["apply", "--from-plan", saved], tmp);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /changed after the plan was made/);
  assert.equal(await Deno.readTextFile(config), `model = "o4-mini"\n`);

  const fresh = await runBeacon(["apply", "--plan", "--out", saved], tmp);
  assert.equal(fresh.code, 2);
  const apply = await runBeacon(["apply", "--from-plan", saved], tmp);
  assert.equal(apply.code, 0, apply.stderr);
  assert.match(await Deno.readTextFile(config), /^model = "o4-mini"\n\n\[otel\]\n/);
  assert.equal(await Deno.readTextFile(`${config}.beacon.bak`), `model = "o4-mini"\n`);
});

Deno.test("concurrent applies do not interleave: one writes, the others find no changes", async () => {
  await using tmp = await makeTempHome();
  await Deno.mkdir(tmp.codexHome);
  const config = `${tmp.codexHome}/config.toml`;
  await Deno.writeTextFile(config, `# mine\nmodel = "o3"\n`);
  const runs = await Promise.all([1, 2, 3, 4].map(() => runBeacon(["apply"], tmp)));
  for (const run of runs) assert.equal(run.code, 0, run.stderr);
  assert.equal(runs.filter((run) => run.stdout.includes("Wrote")).length, 1, "exactly one writer");
  const after = await runBeacon(["apply", "--plan"], tmp);
  assert.equal(after.code, 0);
  const text = await Deno.readTextFile(config);
  assert.ok(text.startsWith(`# mine\nmodel = "o3"\n\n[otel]\n`));
  assert.equal(text.match(/\[otel\]/g)?.length, 1);
});

Deno.test("enabled = false gives the file back byte for byte, or removes a file Beacon created", async () => {
  await using tmp = await makeTempHome();
  const off = `${tmp.home}/off.toml`;
  await Deno.writeTextFile(off, `version = 1\n[harnesses.codex]\nenabled = false\n`);
  const config = `${tmp.codexHome}/config.toml`;

  // A file that existed: restored exactly, CRLF, comments and all.
  await Deno.mkdir(tmp.codexHome);
  const original = `# mine\r\nmodel = "o3"\r\n\r\n[otel]\r\nenvironment = "prod" # keep\r\n`;
  await Deno.writeTextFile(config, original);
  assert.equal((await runBeacon(["apply"], tmp)).code, 0);
  assert.notEqual(await Deno.readTextFile(config), original);
  const restore = await runBeacon(["apply", "--policy", off], tmp);
  assert.equal(restore.code, 0, restore.stderr);
  assert.equal(await Deno.readTextFile(config), original);
  assert.match((await runBeacon(["apply", "--plan", "--policy", off], tmp)).stdout, /No changes\./);

  // A file Beacon created: removed again.
  await Deno.remove(config);
  await Deno.remove(`${tmp.home}/.beacon`, { recursive: true });
  assert.equal((await runBeacon(["apply"], tmp)).code, 0);
  assert.equal((await runBeacon(["apply", "--policy", off], tmp)).code, 0);
  assert.equal(await Deno.stat(config).catch(() => null), null);

  // Edited by the user after Beacon wrote it: only Beacon's keys are given back.
  await Deno.writeTextFile(config, original);
  assert.equal((await runBeacon(["apply"], tmp)).code, 0);
  await Deno.writeTextFile(
    config,
    (await Deno.readTextFile(config)) + `[tui]\r\nnotifications = true\r\n`,
  );
  assert.equal((await runBeacon(["apply", "--policy", off], tmp)).code, 0);
  const after = await Deno.readTextFile(config);
  assert.match(after, /environment = "prod" # keep/);
  assert.match(after, /\[tui\]\r\nnotifications = true/);
  assert.doesNotMatch(after, /exporter|log_user_prompt/);
});
