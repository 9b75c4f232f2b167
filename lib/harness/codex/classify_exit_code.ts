/**
 * The exit code of a Codex shell tool call, read from the header Codex puts before the command's
 * output, or undefined (still running, killed, or a format Beacon does not know). Only the
 * header is read, so a command that prints `Process exited with code 0` cannot fake its code:
 *
 * - unified exec (`exec_command`): `Process exited with code N` above an `Output:` line;
 * - `shell` (freeform): `Exit code: N` above an `Output:` line;
 * - `shell` (JSON): `{"output": "...", "metadata": {"exit_code": N}}`.
 *
 * @example
 * ```ts
 * classifyExitCode("Chunk ID: 1\nWall time: 0.01 seconds\nProcess exited with code 2\nOutput:\nboom\n"); // 2
 * classifyExitCode("Process running with session ID 7\nOutput:\n"); // undefined
 * ```
 */
export function classifyExitCode(output: string): number | undefined {
  if (/^\s*\{/.test(output)) return jsonExitCode(output);
  const outputLine = /^Output:\r?$/m.exec(output);
  if (!outputLine) return undefined;
  const header = output.slice(0, outputLine.index);
  const code = /^(?:Process exited with code|Exit code:)[ \t]*(-?\d{1,10})\r?$/m.exec(header);
  return code ? Number(code[1]) : undefined;
}

function jsonExitCode(output: string): number | undefined {
  try {
    const parsed = JSON.parse(output);
    const code = parsed?.metadata?.exit_code;
    return Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
