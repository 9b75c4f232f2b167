/**
 * How `beacon ci start` hands its outputs to the CI system: lines for GitHub's `$GITHUB_OUTPUT`
 * and `$GITHUB_ENV` files, or `export` lines for a shell to `eval` elsewhere.
 *
 * @module
 */

/**
 * Entries in the format of GitHub's `$GITHUB_OUTPUT` and `$GITHUB_ENV` files: `NAME=value`, or,
 * for a value holding a newline or carriage return, the multi-line form `NAME<<DELIM`, value,
 * `DELIM`, with a random delimiter that occurs nowhere in the value (so a value cannot end the
 * block early and inject another variable). `randomId` is for tests.
 *
 * @example
 * ```ts
 * formatGithubFileEntries({ "codex-home": "/tmp/b/codex-home" }); // "codex-home=/tmp/b/codex-home\n"
 * ```
 */
export function formatGithubFileEntries(
  entries: Record<string, string>,
  randomId: () => string = () => crypto.randomUUID(),
): string {
  let text = "";
  for (const [name, value] of Object.entries(entries)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      throw new Error(`Cannot write "${name}" for GitHub Actions: not a valid name.`);
    }
    if (!/[\r\n]/.test(value)) {
      text += `${name}=${value}\n`;
      continue;
    }
    let delimiter = `ghadelimiter_${randomId()}`;
    while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomId()}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}

/**
 * `export NAME='value'` lines for `eval "$(beacon ci start)"`: every value single-quoted, a
 * single quote written as `'\''`, so nothing in a value is expanded or run by the shell.
 *
 * @example
 * ```ts
 * formatShellExports({ CODEX_HOME: "/tmp/it's" }); // "export CODEX_HOME='/tmp/it'\\''s'\n"
 * ```
 */
export function formatShellExports(entries: Record<string, string>): string {
  let text = "";
  for (const [name, value] of Object.entries(entries)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`Cannot export "${name}": not a valid shell variable name.`);
    }
    text += `export ${name}=${shellQuote(value)}\n`;
  }
  return text;
}

/** `value` as one shell word, single-quoted. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * GitHub's `::add-mask::` commands for `secrets`, one line each, for stdout: the runner then
 * hides each value wherever a later step prints it. The lines themselves are not shown in the
 * job's log. A value holding a line break is refused (it would end the command early).
 */
export function formatGithubMasks(secrets: readonly string[]): string {
  let text = "";
  for (const secret of secrets) {
    if (/[\r\n]/.test(secret)) throw new Error("Cannot mask a value that holds a line break.");
    if (secret) text += `::add-mask::${secret}\n`;
  }
  return text;
}
