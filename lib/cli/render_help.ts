import type { Command, CommandOption } from "./command.ts";
import { HELP_OPTION, usageLine } from "./parse_command_args.ts";

/** `beacon --help`. */
export function renderMainHelp(commands: readonly Command[], version: string): string {
  const width = Math.max(...commands.map((command) => command.words.join(" ").length));
  return [
    `beacon ${version}: see and govern what AI coding agents do on this machine.`,
    "",
    "Usage: beacon <command> [flags]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.words.join(" ").padEnd(width)}  ${command.summary}`),
    "",
    "Flags:",
    "  -h, --help     Show help (also `beacon <command> --help`).",
    "  -V, --version  Show the version.",
    "  --policy PATH, --json and --system may come before the command as well as after it.",
    "",
    "The policy comes from --policy PATH, else $BEACON_POLICY, else ~/.beacon/policy.toml, else",
    "/etc/beacon/policy.toml, else the built-in default.",
    "",
  ].join("\n");
}

/** `beacon <command> --help`. */
export function renderCommandHelp(command: Command): string {
  const options: Record<string, CommandOption> = { ...command.options, help: HELP_OPTION };
  const labels = Object.entries(options).map(([key, option]) => {
    const short = option.short ? `-${option.short}, ` : "    ";
    const value = option.type === "string" ? ` ${option.valueName ?? "VALUE"}` : "";
    return [`${short}--${key}${value}`, option.description];
  });
  const width = Math.max(...labels.map(([label]) => label.length));
  return [
    `Usage: ${usageLine(command)}`,
    "",
    command.summary + ".",
    "",
    command.description,
    "",
    "Flags:",
    ...labels.map(([label, description]) => `  ${label.padEnd(width)}  ${description}`),
    "",
  ].join("\n");
}
