/**
 * The version number in what `<program> --version` printed: the first `N.N[.N][-pre][+build]`
 * token of the first line that has one, or undefined when there is none.
 *
 * @example
 * ```ts
 * import { parseVersionOutput } from "./parse_version_output.ts";
 *
 * parseVersionOutput("codex-cli 0.169.0\n"); // "0.169.0"
 * parseVersionOutput("1.0.33 (Claude Code)"); // "1.0.33"
 * parseVersionOutput("v22.3.0"); // "22.3.0"
 * ```
 */
export function parseVersionOutput(output: string): string | undefined {
  for (const line of output.split(/\r?\n/)) {
    const match = /(?:^|[^\w.])v?(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)/
      .exec(line);
    if (match) return match[1];
  }
  return undefined;
}
