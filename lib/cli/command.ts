import type { CliContext } from "./cli_context.ts";

/** One flag of a command. Booleans take no value; strings take one (`--policy PATH`). */
export interface CommandOption {
  type: "boolean" | "string";
  short?: string;
  /** Shown in help as the value's name, e.g. `PATH`. */
  valueName?: string;
  /** A string flag that may be given more than once (`--harness codex --harness ...`). */
  multiple?: boolean;
  description: string;
}

/** Parsed flags and positionals of one invocation. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** A Beacon command: its words (`["policy", "validate"]`), help and behaviour. */
export interface Command {
  words: string[];
  summary: string;
  /** Positional arguments in help, e.g. `PATH`. */
  positionals?: {
    names: string[];
    required: number;
    /** The positionals are everything after `--` (a command line to run), and only that. */
    afterDoubleDash?: boolean;
  };
  description: string;
  options: Record<string, CommandOption>;
  /** Runs the command and returns its exit code. */
  run(args: CommandArgs, context: CliContext): Promise<number>;
}
