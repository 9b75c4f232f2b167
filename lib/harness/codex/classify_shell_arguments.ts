/**
 * Codex's tools that run a shell command: `exec_command` (unified exec, what 0.169 offers most
 * models), `shell` and `local_shell` (an argv), `shell_command` (a script), `container.exec`
 * (older releases).
 */
export const CODEX_SHELL_TOOLS: ReadonlySet<string> = new Set([
  "exec_command",
  "shell",
  "shell_command",
  "local_shell",
  "container.exec",
  "unified_exec",
]);

/**
 * The `sandbox_permissions` values Codex 0.169 knows. Only these are copied out of the
 * arguments: anything else is part of the arguments' content and stays under the policy's rule.
 */
export const CODEX_SANDBOX_PERMISSIONS: ReadonlySet<string> = new Set([
  "use_default",
  "require_escalated",
  "with_additional_permissions",
]);

/** What a shell tool call asked for, read from its arguments. */
export interface ShellArguments {
  /** The command line: `cmd` or `command` as sent, an argv shell-quoted and joined. */
  command?: string;
  /** The argv, when the call sent one (`shell`, `local_shell`). */
  argv?: string[];
  /** `workdir`, `cwd` or `working_directory`. */
  workdir?: string;
  /** `sandbox_permissions` when it is one of {@link CODEX_SANDBOX_PERMISSIONS}. */
  sandboxPermissions?: string;
}

/**
 * Reads a shell tool call's arguments: `{"cmd": "...", "workdir": "..."}` (exec_command),
 * `{"command": ["bash", "-lc", "..."], "workdir": "..."}` (shell) or `{"command": "..."}`.
 * Arguments that are not a JSON object are taken as the command itself.
 *
 * @example
 * ```ts
 * classifyShellArguments('{"command":["bash","-lc","ls -la"],"workdir":"/repo"}');
 * // { command: "bash -lc 'ls -la'", argv: ["bash", "-lc", "ls -la"], workdir: "/repo" }
 * classifyShellArguments('{"cmd":"echo hi","yield_time_ms":2000}'); // { command: "echo hi" }
 * ```
 */
export function classifyShellArguments(text: string): ShellArguments {
  const parsed = parseObject(text);
  if (parsed === undefined) return text.trim() === "" ? {} : { command: text };
  const result: ShellArguments = {};
  const command = parsed["cmd"] ?? parsed["command"] ?? parsed["script"];
  if (typeof command === "string") result.command = command;
  else if (Array.isArray(command) && command.every((item) => typeof item === "string")) {
    result.argv = command;
    result.command = quoteArgv(command);
  }
  const workdir = parsed["workdir"] ?? parsed["cwd"] ?? parsed["working_directory"];
  if (typeof workdir === "string" && workdir !== "") result.workdir = workdir;
  const permissions = parsed["sandbox_permissions"];
  if (typeof permissions === "string" && CODEX_SANDBOX_PERMISSIONS.has(permissions)) {
    result.sandboxPermissions = permissions;
  }
  return result;
}

/**
 * An argv as one POSIX shell command line: words made only of safe characters as they are,
 * others in single quotes.
 *
 * @example
 * ```ts
 * quoteArgv(["echo", "it's", "a b"]); // "echo 'it'\\''s' 'a b'"
 * ```
 */
export function quoteArgv(argv: readonly string[]): string {
  return argv
    .map((word) =>
      /^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`
    )
    .join(" ");
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
