import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import fc from "fast-check";
import {
  type FlagSpec,
  parseFlags,
  ParseFlagsError,
  type ParseFlagsErrorKind,
} from "./parse_flags.ts";

const FLAGS: Record<string, FlagSpec> = {
  policy: { type: "string", short: "p" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  harness: { type: "string", multiple: true },
  all: { type: "boolean", short: "a", multiple: true },
};

/** What node:util's parseArgs makes of `args`: the parse, or the error's code and message. */
function oracle(args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: FLAGS,
      allowPositionals: true,
      strict: true,
    });
    return { values: { ...values }, positionals };
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
}

function ours(args: string[]) {
  try {
    const { values, positionals } = parseFlags(args, FLAGS);
    assert.equal(Object.getPrototypeOf(values), null, "values has no prototype, like parseArgs'");
    return { values: { ...values }, positionals };
  } catch (error) {
    assert.ok(error instanceof ParseFlagsError);
    return { code: error.code, message: error.message };
  }
}

Deno.test("parseFlags reads values, booleans, repeats, aliases and `--` as parseArgs does", () => {
  const { values, positionals } = parseFlags(
    [
      "--policy",
      "a.toml",
      "x",
      "--harness=codex",
      "-p",
      "b.toml",
      "--harness",
      "-",
      "-ha",
      "-a",
      "--",
      "--json",
    ],
    FLAGS,
  );
  assert.deepEqual({ ...values }, {
    policy: "b.toml",
    harness: ["codex", "-"],
    help: true,
    all: [true, true],
  });
  assert.deepEqual(positionals, ["x", "--json"]);
  assert.deepEqual(parseFlags(["-pvalue", "--policy="], FLAGS).values.policy, "");
});

Deno.test("parseFlags refuses unknown flags, missing values and values for booleans, and says which", () => {
  const refused: Array<[string[], ParseFlagsErrorKind, string, string, RegExp]> = [
    [["--polcy", "x"], "unknown", "--polcy", "polcy", /^Unknown option '--polcy'\. /],
    [["--nope=3"], "unknown", "--nope", "nope", /^Unknown option '--nope'\. /],
    [["-hx"], "unknown", "-x", "x", /^Unknown option '-x'\. /],
    [["--toString"], "unknown", "--toString", "toString", /^Unknown option '--toString'\. /],
    [["---json"], "unknown", "---json", "-json", /^Unknown option '---json'\. /],
    [["--it's"], "unknown", "--it's", "it's", /^Unknown option '--it's'\. /],
    [
      ["--policy"],
      "missing-value",
      "--policy",
      "policy",
      /^Option '-p, --policy <value>' argument missing$/,
    ],
    [["-p"], "missing-value", "-p", "policy", /^Option '-p, --policy <value>' argument missing$/],
    [
      ["--policy", "--json"],
      "ambiguous-value",
      "--policy",
      "policy",
      /^Option '--policy' argument is ambiguous\./,
    ],
    [["-p", "-1"], "ambiguous-value", "-p", "policy", /use '--policy=-XYZ' or '-p-XYZ'\.$/],
    [
      ["--json=false"],
      "unexpected-value",
      "--json",
      "json",
      /^Option '--json' does not take an argument$/,
    ],
    [
      ["--help="],
      "unexpected-value",
      "--help",
      "help",
      /^Option '-h, --help' does not take an argument$/,
    ],
  ];
  for (const [args, kind, flag, flagName, message] of refused) {
    assert.throws(() => parseFlags(args, FLAGS), (error: unknown) => {
      assert.ok(error instanceof ParseFlagsError, args.join(" "));
      assert.deepEqual(
        { kind: error.kind, flag: error.flag, flagName: error.flagName },
        { kind, flag, flagName },
        args.join(" "),
      );
      assert.equal(
        error.code,
        kind === "unknown"
          ? "ERR_PARSE_ARGS_UNKNOWN_OPTION"
          : "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
        args.join(" "),
      );
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("property: parseFlags agrees with node:util's parseArgs (strict, positionals allowed)", () => {
  const word = fc.oneof(
    fc.constantFrom(
      "--policy",
      "--policy=x",
      "--policy=",
      "-p",
      "-pvalue",
      "--json",
      "--json=1",
      "--json=",
      "--help",
      "-h",
      "-ha",
      "-hp",
      "-hpx",
      "-ap=1",
      "-h-",
      "-h=1",
      "-a",
      "--all",
      "--harness",
      "--harness=codex",
      "--",
      "-",
      "",
      "value",
      "-1",
      "-x",
      "--x",
      "--h",
      "--=x",
      "---json",
      "--__proto__",
      "--toString",
      "--constructor=1",
      "-=",
    ),
    fc.string({ unit: fc.constantFrom("-", "=", "h", "p", "a", "j", "x", "1"), maxLength: 6 }),
  );
  fc.assert(
    fc.property(fc.array(word, { maxLength: 8 }), (args) => {
      assert.deepEqual(ours(args), oracle(args));
    }),
    { numRuns: 3000 },
  );
});
