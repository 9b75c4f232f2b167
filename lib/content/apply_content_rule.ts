import type { ContentRule } from "../policy/policy_schema.ts";
import type { ContentField } from "./content_field.ts";
import { hashContent } from "./hash_content.ts";
import { scrubJsonStrings } from "./scrub_json_strings.ts";
import { scrubSecrets } from "./scrub_secrets.ts";
import { truncateUtf8 } from "./truncate_utf8.ts";
import { utf8ByteLength } from "./utf8_byte_length.ts";

/** How {@link applyContentRule} treats a value. */
export interface ApplyContentRuleOptions {
  /** `content.max_field_bytes`: the longest text kept, in UTF-8 bytes. */
  maxFieldBytes: number;
  /** The value is JSON (tool arguments): scrub with {@link scrubJsonStrings}. */
  json?: boolean;
}

/**
 * Applies a policy's content rule to one value, giving what the runtime log stores:
 * - `keep`: the text, cut to `maxFieldBytes`;
 * - `redact`: secrets replaced by `[REDACTED:<kind>]` **over the whole value first**, then cut,
 *   so a secret straddling the cut cannot leave a prefix behind (a replacement that would be cut
 *   in half is left out whole);
 * - `hash`: SHA-256 of the whole original value, no text;
 * - `drop`: the length only.
 *
 * `bytes` is always the UTF-8 length of the original value.
 *
 * @example
 * ```ts
 * applyContentRule("export GITHUB_TOKEN=abc123", "redact", { maxFieldBytes: 4096 });
 * // { mode: "redact", bytes: 26, text: "export GITHUB_TOKEN=[REDACTED:secret]", redactions: 1 }
 * applyContentRule("secret prompt", "drop", { maxFieldBytes: 4096 });
 * // { mode: "drop", bytes: 13 }
 * ```
 */
export function applyContentRule(
  value: string,
  rule: ContentRule,
  options: ApplyContentRuleOptions,
): ContentField {
  const bytes = utf8ByteLength(value);
  switch (rule) {
    case "keep": {
      const cut = truncateUtf8(value, options.maxFieldBytes);
      if (!cut.truncated) return { mode: "keep", bytes, text: value };
      const text = withoutPartialReplacement(value, cut.text);
      return { mode: "keep", bytes, text, truncated: true };
    }
    case "redact": {
      const scrubbed = options.json ? scrubJsonStrings(value) : scrubSecrets(value);
      const redactions = scrubbed.redactions;
      const cut = truncateUtf8(scrubbed.text, options.maxFieldBytes);
      if (!cut.truncated) return { mode: "redact", bytes, text: scrubbed.text, redactions };
      const text = withoutPartialReplacement(scrubbed.text, cut.text);
      return { mode: "redact", bytes, text, truncated: true, redactions };
    }
    case "hash":
      return { mode: "hash", bytes, sha256: hashContent(value) };
    case "drop":
      return { mode: "drop", bytes };
  }
}

const REPLACEMENT_START = "[REDACTED:";

/** `cut` without a trailing `[REDACTED:…]` that the cut split (it would read as garbage). */
function withoutPartialReplacement(full: string, cut: string): string {
  const from = Math.max(0, cut.length - 64);
  const open = full.lastIndexOf(REPLACEMENT_START, cut.length - 1);
  if (open < from) return cut;
  const close = full.indexOf("]", open);
  return close >= cut.length ? cut.slice(0, open) : cut;
}
