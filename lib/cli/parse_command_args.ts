import { closestMatch } from "../text/closest_match.ts";
import type { Command, CommandArgs, CommandOption } from "./command.ts";
import { parseFlags, ParseFlagsError } from "./parse_flags.ts";
import { UsageError } from "./usage_error.ts";

/** The flag every command accepts. */
export const HELP_OPTION = { type: "boolean" as const, short: "h", description: "Show this help." };

/**
 * Parses a command's arguments strictly: an unknown flag, a missing value or an extra
 * argument is a {@link UsageError} naming the closest valid flag.
 */
export function parseCommandArgs(command: Command, argv: string[]): CommandArgs {
  if (command.positionals?.afterDoubleDash) return parseWithCommandLine(command, argv);
  const options = { ...command.options, help: HELP_OPTION };
  const name = `beacon ${command.words.join(" ")}`;
  let parsed;
  try {
    parsed = parseFlags(argv, options);
  } catch (error) {
    if (!(error instanceof ParseFlagsError)) throw error;
    const { kind, flag, flagName } = error;
    if (kind === "unknown") {
      const suggestion = closestMatch(flagName, Object.keys(options));
      throw new UsageError(
        `${name}: unknown flag ${flag}` +
          (suggestion
            ? `; did you mean --${suggestion}?`
            : `; valid flags: ${Object.keys(options).map((k) => `--${k}`).join(", ")}`),
      );
    }
    const option = (options as Record<string, CommandOption>)[flagName];
    throw new UsageError(
      kind === "unexpected-value"
        ? `${name}: ${flag} takes no value`
        : `${name}: ${flag} needs a value (${flag} ${option.valueName ?? "VALUE"})`,
    );
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) return { values, positionals: parsed.positionals };
  const expected = command.positionals ?? { names: [], required: 0 };
  if (parsed.positionals.length < expected.required) {
    throw new UsageError(
      `${name}: missing ${expected.names[parsed.positionals.length]} (usage: ${
        usageLine(command)
      })`,
    );
  }
  if (parsed.positionals.length > expected.names.length) {
    throw new UsageError(
      `${name}: unexpected argument "${parsed.positionals[expected.names.length]}" (usage: ${
        usageLine(command)
      })`,
    );
  }
  return { values, positionals: parsed.positionals };
}

/** Flags before `--`, and after it a command line taken as it is (`beacon ci exec -- CMD`). */
function parseWithCommandLine(command: Command, argv: string[]): CommandArgs {
  const dash = argv.indexOf("--");
  const head = dash === -1 ? argv : argv.slice(0, dash);
  const tail = dash === -1 ? [] : argv.slice(dash + 1);
  const parsed = parseCommandArgs({ ...command, positionals: undefined }, head);
  if (parsed.values.help) return parsed;
  const required = command.positionals?.required ?? 0;
  if (tail.length < required) {
    throw new UsageError(
      `beacon ${command.words.join(" ")}: missing the command to run after -- (usage: ${
        usageLine(command)
      })`,
    );
  }
  return { values: parsed.values, positionals: tail };
}

/** `beacon policy validate [--json] PATH`. */
export function usageLine(command: Command): string {
  const flags = Object.entries(command.options).map(([key, option]) =>
    option.type === "string" ? `[--${key} ${option.valueName ?? "VALUE"}]` : `[--${key}]`
  );
  const positionals = (command.positionals?.names ?? []).map((name, i) =>
    i < (command.positionals?.required ?? 0) ? name : `[${name}]`
  );
  if (command.positionals?.afterDoubleDash) positionals.unshift("--");
  return ["beacon", ...command.words, ...flags, ...positionals].join(" ");
}
