import { readHost } from "../host/host.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import { closestMatch } from "../text/closest_match.ts";
import type { CliContext } from "./cli_context.ts";
import type { Command } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { EXIT } from "./exit_codes.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { renderCommandHelp, renderMainHelp } from "./render_help.ts";
import { UsageError } from "./usage_error.ts";
import { VERSION } from "./version.ts";

export { VERSION };

/**
 * Runs one command line and returns the exit code. Expected failures are printed as their
 * message (which says what to do); only bugs print a stack.
 */
export async function runCli(argv: string[], context?: Partial<CliContext>): Promise<number> {
  const encoder = new TextEncoder();
  const stdout = context?.stdout ??
    ((text: string) => writeAllSync(Deno.stdout, encoder.encode(text)));
  const stderr = context?.stderr ??
    ((text: string) => writeAllSync(Deno.stderr, encoder.encode(text)));
  try {
    const [first] = argv;
    if (first === undefined || first === "help" || first === "--help" || first === "-h") {
      const help = renderMainHelp(COMMANDS, VERSION);
      if (first === undefined) {
        stderr(help);
        return EXIT.usage;
      }
      stdout(help);
      return EXIT.ok;
    }
    if (first === "--version" || first === "-V" || first === "version") {
      stdout(`beacon ${VERSION}\n`);
      return EXIT.ok;
    }
    const { command, rest } = findCommand(argv);
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      stdout(renderCommandHelp(command));
      return EXIT.ok;
    }
    const full: CliContext = {
      host: context?.host ?? readHost(),
      fs: context?.fs ?? realFileSystem,
      stdout,
      stderr,
    };
    return await command.run(args, full);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    stderr(`error: ${describeError(error)}\n`);
    return EXIT.error;
  }
}

function findCommand(argv: string[]): { command: Command; rest: string[] } {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of COMMANDS) {
    if (command.words.every((word, i) => argv[i] === word)) {
      if (!best || command.words.length > best.command.words.length) {
        best = { command, rest: argv.slice(command.words.length) };
      }
    }
  }
  if (best) return best;
  // `beacon policy` alone, or an unknown word: suggest the closest command.
  const names = COMMANDS.map((command) => command.words.join(" "));
  const typed = argv.filter((word) => !word.startsWith("-")).slice(0, 2).join(" ");
  const group = COMMANDS.filter((command) => command.words[0] === argv[0]);
  if (group.length && (argv.length === 1 || argv[1].startsWith("-"))) {
    throw new UsageError(
      `"beacon ${argv[0]}" needs a subcommand: ${group.map((c) => c.words.at(-1)).join(", ")}`,
    );
  }
  const suggestion = closestMatch(typed, names) ??
    closestMatch(argv[0], [...new Set(COMMANDS.map((command) => command.words[0]))]);
  throw new UsageError(
    `unknown command "${typed || argv[0]}"` +
      (suggestion ? `; did you mean "beacon ${suggestion}"?` : `; commands: ${names.join(", ")}`),
  );
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "NotCapable" || error instanceof Deno.errors.NotCapable) {
    return `${error.message} (the beacon binary lacks a permission it needs)`;
  }
  const known = [
    "PolicyError",
    "ConfigSyntaxError",
    "ConfigTooLargeError",
    "ConfigNotWritableError",
    "ConfigEncodingError",
    "StalePlanError",
    "OwnershipStateError",
    "Error",
  ];
  if (known.includes(error.name) || error instanceof Deno.errors.PermissionDenied) {
    return error.message;
  }
  return error.stack ?? error.message;
}

function writeAllSync(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}
