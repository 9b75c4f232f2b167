import type { ContentRule } from "../policy/policy_schema.ts";
import type { ContentField } from "./content_field.ts";
import { hashContent } from "./hash_content.ts";
import { truncateUtf8 } from "./truncate_utf8.ts";
import { utf8ByteLength } from "./utf8_byte_length.ts";

/**
 * SHA-256 (lowercase hex) of an identity (`user.email`, `user.account_id`) after normalising
 * it, so that the same person gets the same hash on every machine: surrounding whitespace is
 * trimmed and an email address is lower-cased. Other identities keep their case.
 *
 * The hash is unsalted: it joins records, it does not make an email address unguessable
 * (anyone can hash a candidate address and compare).
 *
 * @example
 * ```ts
 * hashIdentity(" Ada@Example.COM ") === hashIdentity("ada@example.com"); // true
 * ```
 */
export function hashIdentity(value: string): string {
  return hashContent(normaliseIdentity(value));
}

/**
 * Applies the policy's `identity` rule to one identity value:
 * - `keep`: as sent (cut to `maxFieldBytes`);
 * - `redact`: an email keeps only its domain (`***@example.com`, lower-cased); anything else
 *   becomes `***`;
 * - `hash`: {@link hashIdentity}, so equal identities join across machines;
 * - `drop`: the length only.
 *
 * @example
 * ```ts
 * applyIdentityRule("ada@example.com", "redact", 4096);
 * // { mode: "redact", bytes: 15, text: "***@example.com", redactions: 1 }
 * applyIdentityRule("ada@example.com", "hash", 4096).sha256 === hashIdentity("ADA@example.com"); // true
 * ```
 */
export function applyIdentityRule(
  value: string,
  rule: ContentRule,
  maxFieldBytes: number,
): ContentField {
  const bytes = utf8ByteLength(value);
  switch (rule) {
    case "keep":
      return withText({ mode: "keep", bytes }, value, maxFieldBytes);
    case "redact": {
      const identity = normaliseIdentity(value);
      if (identity === "") return { mode: "redact", bytes, text: "", redactions: 0 };
      const domain = emailDomain(identity);
      const text = domain === undefined ? "***" : `***@${domain}`;
      return { ...withText({ mode: "redact", bytes }, text, maxFieldBytes), redactions: 1 };
    }
    case "hash":
      return { mode: "hash", bytes, sha256: hashIdentity(value) };
    case "drop":
      return { mode: "drop", bytes };
  }
}

function normaliseIdentity(value: string): string {
  const trimmed = value.trim();
  return emailDomain(trimmed) === undefined ? trimmed : trimmed.toLowerCase();
}

/** The domain of an email address (`local@domain`, no whitespace), else `undefined`. */
function emailDomain(value: string): string | undefined {
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1 || /\s/.test(value)) return undefined;
  return value.slice(at + 1).toLowerCase();
}

function withText(field: ContentField, text: string, maxBytes: number): ContentField {
  const cut = truncateUtf8(text, maxBytes);
  return cut.truncated ? { ...field, text: cut.text, truncated: true } : { ...field, text };
}
