import { realProcesses } from "../host/real_processes.ts";
import { readHost } from "../host/host.ts";
import { realFileSystem } from "../reconcile/real_file_system.ts";
import { runCommand } from "../host/run_command.ts";
import type { CliContext } from "./cli_context.ts";
import { COMMANDS, loadCommands } from "./commands.ts";
import { describeFailure, isDebug } from "./describe_failure.ts";
import { EXIT } from "./exit_codes.ts";
import { parseCommandArgs } from "./parse_command_args.ts";
import { renderCommandHelp, renderMainHelp } from "./render_help.ts";
import { resolveCommandLine } from "./resolve_command_line.ts";
import { VERSION } from "./version.ts";

export { VERSION };

/**
 * Runs one command line and returns the exit code. Expected failures are printed as their
 * message (which says what to do) with their exit code; a bug is one line that says so, and its
 * stack only with `BEACON_DEBUG=1` (see {@link describeFailure}).
 */
export async function runCli(argv: string[], context?: Partial<CliContext>): Promise<number> {
  const encoder = new TextEncoder();
  const stdout = context?.stdout ??
    ((text: string) => writeAllSync(Deno.stdout, encoder.encode(text)));
  const stderr = context?.stderr ??
    ((text: string) => writeAllSync(Deno.stderr, encoder.encode(text)));
  try {
    const line = resolveCommandLine(argv, COMMANDS);
    switch (line.kind) {
      case "none":
        stderr(renderMainHelp(await loadCommands(COMMANDS), VERSION));
        return EXIT.usage;
      case "version":
        stdout(`beacon ${VERSION}\n`);
        return EXIT.ok;
      case "help":
        stdout(
          line.command
            ? renderCommandHelp(await line.command.load())
            : renderMainHelp(await loadCommands(line.group ?? COMMANDS), VERSION),
        );
        return EXIT.ok;
    }
    const command = await line.command.load();
    const args = parseCommandArgs(command, line.args);
    if (args.values.help) {
      stdout(renderCommandHelp(command));
      return EXIT.ok;
    }
    const full: CliContext = {
      host: context?.host ?? readHost(),
      fs: context?.fs ?? realFileSystem,
      run: context?.run ?? runCommand,
      processes: context?.processes ?? realProcesses(),
      stdout,
      stderr,
    };
    return await command.run(args, full);
  } catch (error) {
    const env = context?.host?.env ?? Deno.env.toObject();
    const failure = describeFailure(error, isDebug(env));
    stderr(failure.text);
    return failure.code;
  }
}

function writeAllSync(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}
