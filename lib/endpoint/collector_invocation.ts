import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BINARY_PERMISSION_FLAGS } from "./binary_permission_flags.ts";

/** How to start `beacon collector run` from a service: the program and its arguments. */
export interface CollectorInvocation {
  executable: string;
  args: string[];
}

/**
 * The command that runs this same Beacon as the collector. From the compiled binary it is the
 * binary itself; from `deno run` (the single-file bundle, or main.ts in development) it is
 * Deno running the same module with the binary's permission flags. A `--policy` path is made
 * absolute, since services do not start in the caller's folder.
 */
export function collectorInvocation(options: {
  policyPath?: string;
  includeCodexSpans?: boolean;
  system?: boolean;
  cwd: string;
  execPath?: string;
  mainModule?: string;
}): CollectorInvocation {
  const execPath = options.execPath ?? Deno.execPath();
  const mainModule = options.mainModule ?? Deno.mainModule;
  const command = ["collector", "run"];
  if (options.policyPath) command.push("--policy", resolve(options.cwd, options.policyPath));
  if (options.system) command.push("--system");
  if (options.includeCodexSpans) command.push("--include-codex-spans");
  const interpreted = /^deno(\.exe)?$/.test(basename(execPath)) && mainModule.startsWith("file:");
  if (!interpreted) return { executable: execPath, args: command };
  return {
    executable: execPath,
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...BINARY_PERMISSION_FLAGS,
      fileURLToPath(mainModule),
      ...command,
    ],
  };
}
