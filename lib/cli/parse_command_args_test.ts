import assert from "node:assert/strict";
import type { Command } from "./command.ts";
import { COMMANDS as ENTRIES, loadCommands } from "./commands.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { resolveCommandLine } from "./resolve_command_line.ts";
import { UsageError } from "./usage_error.ts";

// The command line works on the entries' words alone; these tests parse flags, so they load
// every command.
const COMMANDS = await loadCommands(ENTRIES);

/** The command line as runCli reads it: which command, then its flags. */
function parse(argv: string[]) {
  const line = resolveCommandLine(argv, COMMANDS);
  assert.equal(line.kind, "run", `${argv.join(" ")} runs a command`);
  if (line.kind !== "run") throw new Error("unreachable");
  return { words: line.command.words.join(" "), ...parseCommandArgs(line.command, line.args) };
}

Deno.test("--policy, --json and --system mean the same before the command as after it", () => {
  const cases: Array<[string[], string[]]> = [
    [["--policy", "team.toml", "apply", "--plan"], ["apply", "--plan", "--policy", "team.toml"]],
    [["--policy=team.toml", "--json", "apply", "--plan"], [
      "apply",
      "--plan",
      "--json",
      "--policy",
      "team.toml",
    ]],
    [["--system", "--json", "endpoint", "status"], ["endpoint", "status", "--system", "--json"]],
    [["--json", "policy", "validate", "p.toml"], ["policy", "validate", "p.toml", "--json"]],
  ];
  for (const [before, after] of cases) {
    assert.deepEqual(parse(before), parse(after), before.join(" "));
  }
  const { words, values, positionals } = parse(["--policy", "team.toml", "apply", "--plan"]);
  assert.deepEqual({ words, values: { ...values }, positionals }, {
    words: "apply",
    values: { policy: "team.toml", plan: true },
    positionals: [],
  });
});

Deno.test("flags before the command stay before `--`: ci exec's command line is untouched", () => {
  const run = parse(["--policy", "ci.toml", "ci", "exec", "--json", "--", "codex", "--json", "-h"]);
  assert.equal(run.words, "ci exec");
  assert.equal(run.values.policy, "ci.toml");
  assert.equal(run.values.json, true);
  assert.deepEqual(run.positionals, ["codex", "--json", "-h"]);
});

Deno.test("a flag before the command that is not global, or --policy without a value: usage error", () => {
  const refused: Array<[string[], RegExp]> = [
    [["--plan", "apply"], /^--plan must come after the command; .*--policy PATH, --json, --system/],
    [["--policy", "apply", "--plan"], /^--policy needs a value before the command/],
    [["--policy"], /^--policy needs a value/],
    [["--json"], /^missing the command after --json/],
    [["-x", "apply"], /^-x must come after the command/],
  ];
  for (const [argv, message] of refused) {
    assert.throws(() => resolveCommandLine(argv, COMMANDS), (error: unknown) => {
      assert.ok(error instanceof UsageError, argv.join(" "));
      assert.match(error.message, message);
      return true;
    });
  }
  // After the command, the command's own parser names the closest flag.
  assert.throws(
    () => parse(["apply", "--plna"]),
    /beacon apply: unknown flag --plna; did you mean --plan\?/,
  );
});

Deno.test("--help and --version count before or after the command, not after --", () => {
  const kind = (argv: string[]) => {
    const line = resolveCommandLine(argv, COMMANDS);
    if (line.kind !== "help") return line.kind;
    if (line.command) return `help ${line.command.words.join(" ")}`;
    if (line.group) return `help group ${line.group[0].words[0]}`;
    return "help";
  };
  assert.equal(kind(["--help"]), "help");
  assert.equal(kind(["-h"]), "help");
  assert.equal(kind(["help"]), "help");
  assert.equal(kind(["--help", "apply"]), "help apply");
  assert.equal(kind(["apply", "--help"]), "help apply");
  assert.equal(kind(["apply", "--plna", "-h"]), "help apply");
  assert.equal(kind(["--policy", "p.toml", "apply", "--help"]), "help apply");
  assert.equal(kind(["help", "policy", "validate"]), "help policy validate");
  assert.equal(kind(["endpoint", "--help"]), "help group endpoint");
  assert.equal(kind(["help", "endpoint"]), "help group endpoint");
  assert.equal(kind(["--version"]), "version");
  assert.equal(kind(["-V", "apply"]), "version");
  assert.equal(kind(["apply", "--version"]), "version");
  assert.equal(kind(["version"]), "version");
  assert.equal(kind([]), "none");
  assert.equal(kind(["ci", "exec", "--", "codex", "--version"]), "run");
  assert.equal(kind(["ci", "exec", "--", "codex", "--help"]), "run");
});

Deno.test("unknown commands still name the closest one, with flags before them too", () => {
  assert.throws(
    () => resolveCommandLine(["--policy", "p.toml", "aply"], COMMANDS),
    /^UsageError: unknown command "aply"; did you mean "beacon apply"\?$/,
  );
  assert.throws(
    () => resolveCommandLine(["aply", "--policy", "p.toml", "--plan"], COMMANDS),
    /^UsageError: unknown command "aply"; did you mean "beacon apply"\?$/,
  );
  assert.throws(
    () => resolveCommandLine(["policy"], COMMANDS),
    /"beacon policy" needs a subcommand: validate, schema/,
  );
});

Deno.test("each command entry's words are its command's words, and each loads", () => {
  assert.deepEqual(
    ENTRIES.map((entry) => entry.words.join(" ")),
    COMMANDS.map((command) => command.words.join(" ")),
  );
  assert.deepEqual(
    resolveCommandLine(["--policy", "p.toml", "collector", "run"], ENTRIES),
    { kind: "run", command: ENTRIES[3], args: ["--policy", "p.toml"] },
  );
});

Deno.test("a command's flags: values, repeats and `--`; refusals name the flag and what to type", () => {
  const apply = parse([
    "apply",
    "--plan",
    "--policy=a.toml",
    "--out",
    "p.json",
    "--policy",
    "b.toml",
  ]);
  assert.deepEqual({ ...apply.values }, { plan: true, policy: "b.toml", out: "p.json" });
  const start = parse(["ci", "start", "--harness", "codex", "--harness=codex"]);
  assert.deepEqual(start.values.harness, ["codex", "codex"]);
  const validate = parse(["policy", "validate", "--", "--json"]);
  assert.deepEqual({ values: { ...validate.values }, positionals: validate.positionals }, {
    values: {},
    positionals: ["--json"],
  });

  const refused: Array<[string[], RegExp]> = [
    [["apply", "--policy"], /^beacon apply: --policy needs a value \(--policy PATH\)$/],
    [["apply", "--out", "--plan"], /^beacon apply: --out needs a value \(--out FILE\)$/],
    [["apply", "--plan=yes"], /^beacon apply: --plan takes no value$/],
    [["apply", "--json="], /^beacon apply: --json takes no value$/],
    [["apply", "--plna=1"], /^beacon apply: unknown flag --plna; did you mean --plan\?$/],
    [["apply", "-x"], /^beacon apply: unknown flag -x; valid flags: --plan, --json, .*--help$/],
    [["apply", "-hx"], /^beacon apply: unknown flag -x; /],
    // The flag as typed, whole, and by its own name (not "-h," from "-h, --help").
    [["apply", "--it's"], /^beacon apply: unknown flag --it's; valid flags: --plan, /],
    [["apply", "--help=1"], /^beacon apply: --help takes no value$/],
    [["ci", "start", "--harness"], /^beacon ci start: --harness needs a value \(--harness /],
    [
      ["policy", "validate", "a.toml", "b.toml"],
      /^beacon policy validate: unexpected argument "b.toml"/,
    ],
  ];
  for (const [argv, message] of refused) {
    assert.throws(() => parse(argv), (error: unknown) => {
      assert.ok(error instanceof UsageError, argv.join(" "));
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("a short flag's refusals name it as typed, with its value's name", () => {
  const demo: Command = {
    words: ["demo"],
    summary: "A command with a short string flag.",
    description: "",
    options: {
      policy: { type: "string", short: "p", valueName: "PATH", description: "The policy." },
      json: { type: "boolean", short: "j", description: "JSON." },
    },
    run: () => Promise.resolve(0),
  };
  const refused: Array<[string[], string]> = [
    [["-p"], "beacon demo: -p needs a value (-p PATH)"],
    [["-p", "-j"], "beacon demo: -p needs a value (-p PATH)"],
    [["-jp"], "beacon demo: -p needs a value (-p PATH)"],
    [["--json=1"], "beacon demo: --json takes no value"],
    [["-x"], "beacon demo: unknown flag -x; valid flags: --policy, --json, --help"],
    [["--jsn"], "beacon demo: unknown flag --jsn; did you mean --json?"],
  ];
  for (const [argv, message] of refused) {
    assert.throws(() => parseCommandArgs(demo, argv), (error: unknown) => {
      assert.ok(error instanceof UsageError, argv.join(" "));
      assert.equal(error.message, message);
      return true;
    });
  }
  assert.deepEqual({ ...parseCommandArgs(demo, ["-jpx.toml"]).values }, {
    json: true,
    policy: "x.toml",
  });
});
