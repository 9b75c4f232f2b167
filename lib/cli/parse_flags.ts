/** One flag the parser accepts. */
export interface FlagSpec {
  type: "boolean" | "string";
  /** A one-character alias (`h` for `-h`). */
  short?: string;
  /** The flag may be given more than once; its value is then the list of values. */
  multiple?: boolean;
}

/** Flags by name, and the other arguments in order. */
export interface ParsedFlags {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * What is wrong with a flag: `unknown` (no such flag), `missing-value` (a string flag given
 * nothing), `ambiguous-value` (a string flag given a next argument that looks like a flag:
 * `--policy --json`), `unexpected-value` (a boolean flag given a value: `--json=1`).
 */
export type ParseFlagsErrorKind =
  | "unknown"
  | "missing-value"
  | "ambiguous-value"
  | "unexpected-value";

/**
 * A command line the flags refuse. `code` and `message` are node:util's `parseArgs` ones, word
 * for word; `kind`, `flag` and `flagName` say the same for a program (`parseCommandArgs` words its
 * own message from them).
 */
export class ParseFlagsError extends TypeError {
  readonly code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" | "ERR_PARSE_ARGS_INVALID_OPTION_VALUE";
  constructor(
    readonly kind: ParseFlagsErrorKind,
    /** The flag as the user typed it, without a value: `--policy`, `-p`, `--nope` for `--nope=3`. */
    readonly flag: string,
    /**
     * The flag's name among the flags (`policy` for `-p`); for an unknown one, what follows the
     * two dashes of a long flag (`nope`, `-x` for `---x`) or the one of a short flag (`x`).
     */
    readonly flagName: string,
    message: string,
  ) {
    super(message);
    this.name = "TypeError";
    this.code = kind === "unknown"
      ? "ERR_PARSE_ARGS_UNKNOWN_OPTION"
      : "ERR_PARSE_ARGS_INVALID_OPTION_VALUE";
  }
}

/**
 * Parses `args` strictly against `flags`, as node:util's `parseArgs` does with `strict: true`
 * and `allowPositionals: true` (without loading Node's compatibility layer, issue 11):
 * `--name value`, `--name=value`, `-h`, groups of short booleans (`-hv`), `-fVALUE` for a
 * short string flag, `--` ending the flags. An unknown flag, a string flag without a value (or
 * with one that looks like a flag: `--policy --json`), or a value given to a boolean flag is a
 * {@link ParseFlagsError}. A flag given twice keeps its last value unless it is `multiple`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./parse_flags.ts";
 *
 * const flags = { policy: { type: "string" as const }, json: { type: "boolean" as const } };
 * const parsed = parseFlags(["--policy=p.toml", "status", "--json"], flags);
 * assert.deepEqual({ ...parsed.values }, { policy: "p.toml", json: true });
 * assert.deepEqual(parsed.positionals, ["status"]);
 * assert.throws(() => parseFlags(["--jsn"], flags), /Unknown option '--jsn'/);
 * ```
 */
export function parseFlags(args: readonly string[], flags: Record<string, FlagSpec>): ParsedFlags {
  const values: ParsedFlags["values"] = Object.create(null);
  const positionals: string[] = [];
  const remaining = [...args];
  while (remaining.length > 0) {
    const arg = remaining.shift()!;
    if (arg === "--") {
      positionals.push(...remaining);
      break;
    }
    if (arg.length < 2 || arg[0] !== "-") {
      positionals.push(arg);
      continue;
    }
    if (arg[1] !== "-") {
      const name = longNameOf(arg[1], flags);
      const takesValue = typeOf(name, flags) === "string";
      if (arg.length === 2) {
        // `-f VALUE` for a string flag (any next argument, checked below); `-h` for a boolean.
        const value = takesValue && remaining.length > 0 ? remaining.shift() : undefined;
        store({ name, rawName: arg, value, inline: false }, flags, values);
      } else if (takesValue) {
        store({ name, rawName: `-${arg[1]}`, value: arg.slice(2), inline: true }, flags, values);
      } else {
        // A group of short flags (`-hv`): each in turn, as if given alone; a string flag
        // inside the group takes the rest of it as its value (`-hfFILE`).
        remaining.unshift(...expandShortGroup(arg, flags));
      }
      continue;
    }
    // As in parseArgs, a `=` at the third character does not make a value (`--=` is a flag
    // named `=`), but once there is a later one, the first `=` splits (`--==x`: "" = "=x").
    if (arg.indexOf("=", 3) === -1) {
      const name = arg.slice(2);
      const value = typeOf(name, flags) === "string" && remaining.length > 0
        ? remaining.shift()
        : undefined;
      store({ name, rawName: arg, value, inline: false }, flags, values);
    } else {
      const equals = arg.indexOf("=");
      const name = arg.slice(2, equals);
      store(
        { name, rawName: `--${name}`, value: arg.slice(equals + 1), inline: true },
        flags,
        values,
      );
    }
  }
  return { values, positionals };
}

interface FlagToken {
  name: string;
  /** As typed: `--policy`, `-h`. */
  rawName: string;
  value: string | undefined;
  /** Given with the flag (`--policy=x`, `-fx`), not as the next argument. */
  inline: boolean;
}

function store(token: FlagToken, flags: Record<string, FlagSpec>, values: ParsedFlags["values"]) {
  const { name, rawName, value } = token;
  if (!Object.hasOwn(flags, name)) {
    throw new ParseFlagsError(
      "unknown",
      rawName,
      name,
      `Unknown option '${rawName}'. To specify a positional argument starting with a '-', ` +
        `place it at the end of the command after '--', as in '-- ${JSON.stringify(rawName)}`,
    );
  }
  const flag = flags[name];
  const shortAndLong = `${flag.short ? `-${flag.short}, ` : ""}--${name}`;
  if (flag.type === "string" && value === undefined) {
    throw new ParseFlagsError(
      "missing-value",
      rawName,
      name,
      `Option '${shortAndLong} <value>' argument missing`,
    );
  }
  if (flag.type === "boolean" && value !== undefined) {
    throw new ParseFlagsError(
      "unexpected-value",
      rawName,
      name,
      `Option '${shortAndLong}' does not take an argument`,
    );
  }
  if (!token.inline && value !== undefined && value.length > 1 && value[0] === "-") {
    const example = rawName.startsWith("--")
      ? `'${rawName}=-XYZ'`
      : `'--${name}=-XYZ' or '${rawName}-XYZ'`;
    throw new ParseFlagsError(
      "ambiguous-value",
      rawName,
      name,
      `Option '${rawName}' argument is ambiguous.\n` +
        `Did you forget to specify the option argument for '${rawName}'?\n` +
        `To specify an option argument starting with a dash use ${example}.`,
    );
  }
  if (name === "__proto__") return;
  const stored = value ?? true;
  if (flag.multiple) {
    const list = values[name];
    if (Array.isArray(list)) list.push(stored as string);
    else values[name] = [stored as string];
  } else {
    values[name] = stored;
  }
}

function expandShortGroup(arg: string, flags: Record<string, FlagSpec>): string[] {
  const expanded: string[] = [];
  for (let i = 1; i < arg.length; i++) {
    const takesValue = typeOf(longNameOf(arg[i], flags), flags) === "string";
    if (takesValue && i < arg.length - 1) {
      expanded.push(`-${arg.slice(i)}`);
      break;
    }
    expanded.push(`-${arg[i]}`);
  }
  return expanded;
}

/** The flag whose alias is `short`, else `short` itself (then unknown, unless a flag is named so). */
function longNameOf(short: string, flags: Record<string, FlagSpec>): string {
  for (const name of Object.keys(flags)) if (flags[name].short === short) return name;
  return short;
}

function typeOf(name: string, flags: Record<string, FlagSpec>): FlagSpec["type"] | undefined {
  return Object.hasOwn(flags, name) ? flags[name].type : undefined;
}
