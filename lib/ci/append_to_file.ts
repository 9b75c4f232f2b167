import type { FileSystem } from "../reconcile/file_system.ts";

/**
 * Appends `text` to a file the CI system gave us (`$GITHUB_OUTPUT`, `$GITHUB_ENV`,
 * `$GITHUB_STEP_SUMMARY`) through `fs`, creating it (0600) if needed, in one write.
 *
 * @throws Error naming the variable and the path when the file cannot be written.
 */
export async function appendToFile(
  fs: FileSystem,
  variable: string,
  path: string,
  text: string,
): Promise<void> {
  try {
    await fs.appendFile(path, new TextEncoder().encode(text), 0o600);
  } catch (error) {
    throw new Error(`Cannot write to $${variable} ("${path}"): ${(error as Error).message}`);
  }
}
