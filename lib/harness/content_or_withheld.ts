import { applyContentRule } from "../content/apply_content_rule.ts";
import type { ContentField } from "../content/content_field.ts";
import type { ContentRule } from "../policy/policy_schema.ts";

/**
 * A text a harness sent (a prompt, an answer) as a content field under the policy's `rule`; or,
 * when the harness withheld it (no text at all, or its redaction `placeholder`), `{ mode: rule,
 * bytes: 0 }`: the placeholder never reached Beacon as the text, so it is neither hashed nor
 * counted. `withheld` says which, for the event's `source_redacted`.
 *
 * @example
 * ```ts
 * import { contentOrWithheld } from "./content_or_withheld.ts";
 *
 * contentOrWithheld("<REDACTED>", "hash", { maxFieldBytes: 4096, placeholder: "<REDACTED>" });
 * // { field: { mode: "hash", bytes: 0 }, withheld: true }
 * contentOrWithheld("ls", "keep", { maxFieldBytes: 4096, placeholder: "<REDACTED>" });
 * // { field: { mode: "keep", bytes: 2, text: "ls" }, withheld: false }
 * ```
 */
export function contentOrWithheld(
  text: string | undefined,
  rule: ContentRule,
  options: { maxFieldBytes: number; placeholder?: string },
): { field: ContentField; withheld: boolean } {
  if (text === undefined || (options.placeholder !== undefined && text === options.placeholder)) {
    return { field: { mode: rule, bytes: 0 }, withheld: true };
  }
  return {
    field: applyContentRule(text, rule, { maxFieldBytes: options.maxFieldBytes }),
    withheld: false,
  };
}
