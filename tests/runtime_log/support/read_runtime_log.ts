/**
 * Reads a runtime log back as a reader would: archives oldest first, then the live file.
 *
 * @module
 */

import {
  archivePath,
  listRuntimeLogArchives,
} from "../../../lib/runtime_log/list_runtime_log_archives.ts";

/** One file of a runtime log and its content. */
export interface RuntimeLogFileContent {
  path: string;
  text: string;
  bytes: number;
}

/** The archives (oldest first) and the live file; a missing live file reads as empty. */
export async function readRuntimeLogFiles(path: string): Promise<RuntimeLogFileContent[]> {
  const numbers = await listRuntimeLogArchives(path);
  const paths = [...numbers.toReversed().map((n) => archivePath(path, n)), path];
  const files: RuntimeLogFileContent[] = [];
  for (const file of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(file);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    files.push({ path: file, text: new TextDecoder().decode(bytes), bytes: bytes.length });
  }
  return files;
}

/**
 * Every line of the log in order (archives oldest first, then the live file). Throws if a file
 * does not end with a newline: a reader must never see half a line.
 */
export async function readRuntimeLogLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  for (const file of await readRuntimeLogFiles(path)) {
    if (file.text === "") continue;
    if (!file.text.endsWith("\n")) {
      throw new Error(
        `"${file.path}" ends with a partial line: ${JSON.stringify(file.text.slice(-80))}`,
      );
    }
    lines.push(...file.text.slice(0, -1).split("\n"));
  }
  return lines;
}

/** `readRuntimeLogLines`, each parsed as JSON (throws on a line that is not). */
export async function readRuntimeLogRecords(path: string): Promise<Record<string, unknown>[]> {
  return (await readRuntimeLogLines(path)).map((line) => JSON.parse(line));
}

/** A fresh temporary folder, removed by the returned `[Symbol.asyncDispose]`. */
export async function temporaryFolder(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "beacon-runtime-log-" });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}
