import type { ContentRule } from "../policy/policy_schema.ts";

/**
 * One piece of content (a prompt, tool arguments, tool output, an agent response or an
 * identity) as it is written to the runtime log after the policy's content rule was applied.
 *
 * Only `keep` and `redact` ever carry text; `hash` carries a digest and `drop` only the length,
 * so the original value can never be read back from those two.
 *
 * @example
 * ```ts
 * // applyContentRule("TOKEN=hunter2", "redact", { maxFieldBytes: 4096 }) gives:
 * const field: ContentField = {
 *   mode: "redact",
 *   bytes: 13,
 *   text: "TOKEN=[REDACTED:secret]",
 *   redactions: 1,
 * };
 * ```
 */
export interface ContentField {
  /** The rule that produced this field. */
  mode: ContentRule;
  /** UTF-8 byte length of the original value, before any scrubbing or truncation. */
  bytes: number;
  /** The kept text: `keep` and `redact` only. */
  text?: string;
  /** Lowercase hex SHA-256 of the (normalised) original value: `hash` only. */
  sha256?: string;
  /** Present when `text` was cut to `max_field_bytes`. */
  truncated?: true;
  /**
   * `redact` only: how many secrets were replaced by `[REDACTED:<kind>]`, counted over the whole
   * value (secrets in a part cut off by truncation count too).
   */
  redactions?: number;
}
