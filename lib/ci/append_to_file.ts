/**
 * Appends `text` to a file the CI system gave us (`$GITHUB_OUTPUT`, `$GITHUB_ENV`,
 * `$GITHUB_STEP_SUMMARY`), creating it if needed, in one write.
 *
 * @throws Error naming the variable and the path when the file cannot be written.
 */
export async function appendToFile(variable: string, path: string, text: string): Promise<void> {
  try {
    await Deno.writeTextFile(path, text, { append: true, create: true, mode: 0o600 });
  } catch (error) {
    throw new Error(`Cannot write to $${variable} ("${path}"): ${(error as Error).message}`);
  }
}
