import type { PatchOperations } from "../../events/beacon_event.ts";
import {
  classifyShellArguments,
  CODEX_SHELL_TOOLS,
  type ShellArguments,
} from "./classify_shell_arguments.ts";

/** The files a patch touches and how. */
export interface ApplyPatchSummary {
  /** Distinct paths in order of first mention (a move's destination included). */
  paths: string[];
  operations: PatchOperations;
}

const FILE_HEADER = /^\*\*\* (Add File|Update File|Delete File|Move to): (.+)$/;
const OPERATION: Readonly<Record<string, keyof PatchOperations>> = {
  "Add File": "add",
  "Update File": "update",
  "Delete File": "delete",
  "Move to": "move",
};

/**
 * Reads the file headers of a Codex patch (`*** Add File: `, `*** Update File: `,
 * `*** Delete File: `, `*** Move to: `). Other lines, including the changed code, are not looked
 * at. Lines are trimmed, as Codex's own parser does.
 *
 * @example
 * ```ts
 * classifyApplyPatch("*** Begin Patch\n*** Update File: src/a.ts\n@@\n-x\n+y\n*** Move to: src/b.ts\n*** End Patch");
 * // { paths: ["src/a.ts", "src/b.ts"], operations: { add: 0, update: 1, delete: 0, move: 1 } }
 * ```
 */
export function classifyApplyPatch(patch: string): ApplyPatchSummary {
  const paths: string[] = [];
  const seen = new Set<string>();
  const operations: PatchOperations = { add: 0, update: 0, delete: 0, move: 0 };
  for (const line of patch.split(/\r?\n/)) {
    const header = FILE_HEADER.exec(line.trim());
    if (!header) continue;
    operations[OPERATION[header[1]]]++;
    const path = header[2].trim();
    if (path !== "" && !seen.has(path)) {
      seen.add(path);
      paths.push(path);
    }
  }
  return { paths, operations };
}

const APPLY_PATCH_COMMAND = /^\s*(?:\S*\/)?(?:apply_patch|applypatch)\b/;
const BEGIN_PATCH = "*** Begin Patch";

/**
 * The patch text of a tool call that applies a patch, or undefined when the call does not:
 *
 * - the `apply_patch` tool: its `input` (or `patch`) argument, else the arguments as text
 *   (the freeform variant sends the patch itself), "" when there is none;
 * - a shell tool running `apply_patch` (Codex intercepts those): the argv's second word, or the
 *   script from `*** Begin Patch` on.
 *
 * @example
 * ```ts
 * codexApplyPatchText("apply_patch", '{"input":"*** Begin Patch\\n*** Add File: a.txt\\n+hi\\n*** End Patch"}');
 * // "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch"
 * codexApplyPatchText("exec_command", '{"cmd":"ls"}'); // undefined
 * ```
 */
export function codexApplyPatchText(
  toolName: string | null,
  argumentsText: string | undefined,
): string | undefined {
  const text = argumentsText ?? "";
  if (toolName === "apply_patch") {
    const parsed = parseJson(text);
    if (typeof parsed === "string") return parsed;
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const input = (parsed as Record<string, unknown>)["input"] ??
        (parsed as Record<string, unknown>)["patch"];
      return typeof input === "string" ? input : "";
    }
    return text;
  }
  if (toolName === null || !CODEX_SHELL_TOOLS.has(toolName)) return undefined;
  return shellApplyPatchText(classifyShellArguments(text));
}

/**
 * The patch a shell tool call applies, read from its arguments ({@link classifyShellArguments}),
 * or undefined when it runs something else: the shell half of {@link codexApplyPatchText}.
 *
 * @example
 * ```ts
 * import { classifyShellArguments } from "./classify_shell_arguments.ts";
 * shellApplyPatchText(classifyShellArguments('{"command":["apply_patch","P"]}')); // "P"
 * shellApplyPatchText(classifyShellArguments('{"cmd":"ls"}')); // undefined
 * ```
 */
export function shellApplyPatchText(shell: ShellArguments): string | undefined {
  if (shell.argv && shell.argv.length >= 2 && APPLY_PATCH_COMMAND.test(shell.argv[0])) {
    return shell.argv[1];
  }
  // `bash -lc "apply_patch <<'EOF' ..."` or `{"cmd": "apply_patch <<'EOF' ..."}`
  const script = shell.argv ? shell.argv[shell.argv.length - 1] : shell.command;
  if (script === undefined || !APPLY_PATCH_COMMAND.test(script)) return undefined;
  const begin = script.indexOf(BEGIN_PATCH);
  return begin < 0 ? undefined : script.slice(begin);
}

function parseJson(text: string): unknown {
  if (!/^\s*[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
