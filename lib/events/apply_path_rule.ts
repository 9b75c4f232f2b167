import { hashContent } from "../content/hash_content.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import { utf8ByteLength } from "../content/utf8_byte_length.ts";
import type { ContentRule } from "../policy/policy_schema.ts";

/** File paths after a content rule, as a `file_change` event stores them. */
export interface PathsField {
  /** How many distinct paths there were, whatever the rule. */
  path_count: number;
  /** The rule applied. */
  paths_mode: ContentRule;
  /** keep: as is; redact: secrets scrubbed; hash: SHA-256 of each; drop: absent. */
  paths?: string[];
  /** Paths were left out to stay within `maxFieldBytes`. */
  paths_truncated?: true;
}

/**
 * Applies a content rule (a policy's `tool_arguments` rule) to a list of file paths. Paths are
 * tool-argument content: they name projects, customers and people.
 *
 * - `keep`: the paths; `redact`: each path through `scrubSecrets` (a path can hold a token, e.g.
 *   `/tmp/ghp_…`); `hash`: the SHA-256 of each path, so the same file joins across events;
 *   `drop`: no paths, only `path_count`.
 * - The stored list is cut after the last path that fits in `maxFieldBytes` (the sum of the
 *   stored strings' UTF-8 lengths), and then says `paths_truncated: true`.
 *
 * @example
 * ```ts
 * applyPathRule(["src/a.ts", "src/b.ts"], "drop", 4096); // { path_count: 2, paths_mode: "drop" }
 * applyPathRule(["src/a.ts"], "keep", 4096).paths; // ["src/a.ts"]
 * ```
 */
export function applyPathRule(
  paths: readonly string[],
  rule: ContentRule,
  maxFieldBytes: number,
): PathsField {
  const field: PathsField = { path_count: paths.length, paths_mode: rule };
  if (rule === "drop") return field;
  const stored: string[] = [];
  let budget = maxFieldBytes;
  for (const path of paths) {
    const value = rule === "keep"
      ? path
      : rule === "redact"
      ? scrubSecrets(path).text
      : hashContent(path);
    const bytes = utf8ByteLength(value);
    if (bytes > budget) return { ...field, paths: stored, paths_truncated: true };
    budget -= bytes;
    stored.push(value);
  }
  return { ...field, paths: stored };
}
