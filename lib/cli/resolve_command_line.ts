/**
 * Which command a command line names, where its flags are, and whether it asks for help or the
 * version, before any command-specific parsing.
 *
 * @module
 */

import { closestMatch } from "../text/closest_match.ts";
import { UsageError } from "./usage_error.ts";

/**
 * Flags that may come before the command as well as after it (`beacon --policy P apply`), as in
 * git, kubectl and terraform. Each command's own parser still decides whether it takes them.
 */
/** What the command line needs of a command: its words (`["endpoint", "install"]`). */
export interface Worded {
  readonly words: readonly string[];
}

export const GLOBAL_FLAGS: Readonly<Record<string, { takesValue: boolean }>> = {
  policy: { takesValue: true },
  json: { takesValue: false },
  system: { takesValue: false },
};

const HELP_FLAGS = new Set(["--help", "-h"]);
const VERSION_FLAGS = new Set(["--version", "-V"]);

/** What a command line asks for. */
export type CommandLine<C extends Worded = Worded> =
  /** Run `command` with `args` (global flags given before it moved after its words). */
  | { kind: "run"; command: C; args: string[] }
  /** Help for one command, for a group (`beacon endpoint --help`), or for Beacon. */
  | { kind: "help"; command?: C; group?: readonly C[] }
  | { kind: "version" }
  /** Nothing to run (`beacon` alone): the main help, as a usage error. */
  | { kind: "none" };

/**
 * Resolves `argv` against `commands`. `--help`/`-h` and `--version`/`-V` count anywhere before a
 * `--` (after it they belong to the command line `ci exec` runs); `--policy PATH`, `--json` and
 * `--system` may come before the command. Anything else before the command, or an unknown
 * command, is a {@link UsageError} naming the closest choice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveCommandLine } from "./resolve_command_line.ts";
 * import { COMMANDS } from "./commands.ts";
 *
 * const line = resolveCommandLine(["--policy", "team.toml", "apply", "--plan"], COMMANDS);
 * assert.ok(line.kind === "run" && line.command.words.join(" ") === "apply");
 * assert.deepEqual(line.args, ["--policy", "team.toml", "--plan"]);
 * ```
 */
export function resolveCommandLine<C extends Worded>(
  argv: string[],
  commands: readonly C[],
): CommandLine<C> {
  const dash = argv.indexOf("--");
  const flagArea = dash === -1 ? argv : argv.slice(0, dash);
  if (flagArea.some((arg) => VERSION_FLAGS.has(arg))) return { kind: "version" };
  const wantsHelp = flagArea.some((arg) => HELP_FLAGS.has(arg));

  const leading: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("-") && argv[i] !== "--"; i++) {
    const arg = argv[i];
    if (HELP_FLAGS.has(arg)) continue;
    const [name, inlineValue] = splitFlag(arg);
    const global = GLOBAL_FLAGS[name];
    if (!global || !arg.startsWith("--")) {
      throw new UsageError(
        `${arg} must come after the command; before it Beacon takes only ` +
          `${describeGlobalFlags()}, --help and --version`,
      );
    }
    leading.push(arg);
    if (global.takesValue && inlineValue === undefined) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("-") || isCommandWord(value, commands)) {
        throw new UsageError(`--${name} needs a value before the command (--${name} PATH)`);
      }
      leading.push(value);
      i++;
    }
  }
  const rest = argv.slice(i);

  if (rest[0] === "help" || rest[0] === "version") {
    if (rest[0] === "version") return { kind: "version" };
    if (rest.length === 1) return { kind: "help" };
    const found = findCommand(rest.slice(1), commands);
    return found.kind === "group" ? { kind: "help", group: found.group } : {
      kind: "help",
      command: found.command,
    };
  }
  if (rest.length === 0 || rest[0] === "--") {
    if (wantsHelp) return { kind: "help" };
    if (leading.length) {
      throw new UsageError(`missing the command after ${leading.join(" ")} (see beacon --help)`);
    }
    return { kind: "none" };
  }

  const found = findCommand(rest, commands);
  if (found.kind === "group") {
    if (wantsHelp) return { kind: "help", group: found.group };
    throw new UsageError(
      `"beacon ${rest[0]}" needs a subcommand: ${
        found.group.map((c) => c.words.at(-1)).join(", ")
      }`,
    );
  }
  if (wantsHelp) return { kind: "help", command: found.command };
  return { kind: "run", command: found.command, args: [...leading, ...found.rest] };
}

type Found<C> =
  | { kind: "command"; command: C; rest: string[] }
  | { kind: "group"; group: readonly C[] };

/** The longest command whose words start `argv`; a group word alone; else a usage error. */
function findCommand<C extends Worded>(argv: string[], commands: readonly C[]): Found<C> {
  let best: { command: C; rest: string[] } | undefined;
  for (const command of commands) {
    if (command.words.every((word, i) => argv[i] === word)) {
      if (!best || command.words.length > best.command.words.length) {
        best = { command, rest: argv.slice(command.words.length) };
      }
    }
  }
  if (best) return { kind: "command", ...best };
  const group = commands.filter((command) => command.words[0] === argv[0]);
  if (group.length && (argv.length === 1 || argv[1].startsWith("-"))) {
    return { kind: "group", group };
  }
  // An unknown word: suggest the closest command.
  const names = commands.map((command) => command.words.join(" "));
  const typed = argv
    .filter((word, i) => !word.startsWith("-") && !takesValue(argv[i - 1]))
    .slice(0, 2)
    .join(" ");
  const suggestion = closestMatch(typed, names) ??
    closestMatch(argv[0], [...new Set(commands.map((command) => command.words[0]))]);
  throw new UsageError(
    `unknown command "${typed || argv[0]}"` +
      (suggestion ? `; did you mean "beacon ${suggestion}"?` : `; commands: ${names.join(", ")}`),
  );
}

/** `--policy=x` -> ["policy", "x"]; `--json` -> ["json", undefined]. */
function splitFlag(arg: string): [string, string | undefined] {
  const body = arg.replace(/^-+/, "");
  const eq = body.indexOf("=");
  return eq === -1 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}

/** `--policy` (without `=`): the next word is its value, not a command word. */
function takesValue(arg: string | undefined): boolean {
  return arg !== undefined && arg.startsWith("--") && !arg.includes("=") &&
    GLOBAL_FLAGS[arg.slice(2)]?.takesValue === true;
}

function isCommandWord(word: string, commands: readonly Worded[]): boolean {
  return commands.some((command) => command.words[0] === word);
}

function describeGlobalFlags(): string {
  return Object.entries(GLOBAL_FLAGS)
    .map(([name, flag]) => (flag.takesValue ? `--${name} PATH` : `--${name}`))
    .join(", ");
}
