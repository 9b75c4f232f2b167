import { findSecretArguments, type SecretArgument } from "./find_secret_arguments.ts";
import { isProbableSecretValue } from "./is_probable_secret_value.ts";
import { isSecretName } from "./is_secret_name.ts";
import { mayHoldSecrets, scrubSecrets } from "./scrub_secrets.ts";
import { secretKindForName } from "./secret_kind_for_name.ts";

/**
 * Scrubs secrets from a JSON document, such as a tool call's arguments
 * (`{"command":["bash","-lc","export OPENAI_API_KEY=sk-…"]}`), and re-serialises it compactly.
 *
 * Every string (keys included) goes through {@link scrubSecrets}. On top of that, structure is
 * used where plain text has none:
 * - a string or number under a secret-looking key (`"password"`, `"apiKey"`, `"Authorization"`)
 *   is replaced entirely, unless it is a placeholder, a keyword or a short number (see
 *   {@link isProbableSecretValue}); objects and arrays under such keys are scrubbed inside;
 * - an array is read as an argument vector too: the secrets `findSecretArguments` finds in it
 *   are replaced (`["mysql", "--password", "…"]`, `["docker", "login", "-p", "…"]`,
 *   `["mysql", "-p…"]`), the option itself kept.
 *
 * Text that is not a JSON object, array or string falls back to {@link scrubSecrets} unchanged
 * in form. Re-serialising loses whitespace and the precision of integers beyond 2^53.
 *
 * @example
 * ```ts
 * scrubJsonStrings('{"cmd": "psql", "env": {"PGPASSWORD": "hunter2"}}');
 * // { text: '{"cmd":"psql","env":{"PGPASSWORD":"[REDACTED:secret]"}}', redactions: 1 }
 * ```
 */
export function scrubJsonStrings(text: string): { text: string; redactions: number } {
  return scrubJson(text, true);
}

/**
 * {@link scrubJsonStrings} without its shortcut: every string and key of the document is looked
 * at, even when the text shows there is nothing to find. The reference the shortcut is tested
 * against; the result is always the same.
 *
 * @example
 * ```ts
 * scrubJsonStringsExhaustively('{"cmd": "ls"}'); // { text: '{"cmd":"ls"}', redactions: 0 }
 * ```
 */
export function scrubJsonStringsExhaustively(text: string): { text: string; redactions: number } {
  return scrubJson(text, false);
}

/** The most `{` and `[` of a document {@link isPlainJson} accepts. */
const PLAIN_JSON_MAX_BRACKETS = 32;

/**
 * Whether scrubbing `text` as JSON can only re-serialise it. Without a backslash, every string
 * and key of the parsed document is a part of `text`, so when `text` holds no hint of a secret
 * ({@link mayHoldSecrets}), none of them does: no key is a secret name (those hold a hint too),
 * no array holds a secret argument (the words that rules need hold a hint too), and
 * scrubSecrets leaves every string as it is. The
 * walk would then only copy the document, except for a `__proto__` key (where that is an
 * accessor, as outside Deno, assigning it sets the copy's prototype) and a nesting deep enough
 * to overflow the walk's stack (it then falls back to scrubbing the text; a thousand levels do):
 * those take the walk.
 */
function isPlainJson(text: string): boolean {
  if (text.includes("\\") || text.includes("__proto__") || mayHoldSecrets(text)) return false;
  let brackets = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code === 0x7b || code === 0x5b) && ++brackets > PLAIN_JSON_MAX_BRACKETS) return false;
  }
  return true;
}

function scrubJson(text: string, shortcuts: boolean): { text: string; redactions: number } {
  if (!/^\s*[{["]/.test(text)) return scrubSecrets(text);
  let redactions = 0;
  const scrub = (value: string): string => {
    const result = scrubSecrets(value);
    redactions += result.redactions;
    return result.text;
  };
  const replace = (name: string): string => {
    redactions++;
    return `[REDACTED:${secretKindForName(name)}]`;
  };
  const visit = (value: unknown): unknown => {
    if (typeof value === "string") return scrub(value);
    if (Array.isArray(value)) {
      const secrets = secretArguments(value);
      return value.map((item, index) => {
        const found = secrets.get(index);
        if (found === undefined || typeof item !== "string") return visit(item);
        redactions += found.length;
        return scrub(redactRanges(item, found));
      });
    }
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const secret = isSecretName(key) &&
          (typeof item === "string" || typeof item === "number") &&
          isProbableSecretValue(String(item), { quoted: true, name: key });
        out[scrub(key)] = secret ? replace(key) : visit(item);
      }
      return out;
    }
    return value;
  };
  try {
    const parsed: unknown = JSON.parse(text);
    if (shortcuts && isPlainJson(text)) return { text: JSON.stringify(parsed), redactions: 0 };
    return { text: JSON.stringify(visit(parsed)), redactions };
  } catch {
    // Not JSON after all, or nested too deeply to walk: scrub it as text.
    return scrubSecrets(text);
  }
}

/**
 * The secrets among the elements of an array read as an argument vector
 * (`["docker", "login", "-p", "…"]`, see {@link findSecretArguments}), by element. Other
 * elements count as empty words.
 */
function secretArguments(items: unknown[]): Map<number, SecretArgument[]> {
  const byIndex = new Map<number, SecretArgument[]>();
  if (items.length < 2) return byIndex;
  const words = items.map((item) =>
    typeof item === "string" ? { value: item, plain: item.length } : { value: "", plain: 0 }
  );
  for (const secret of findSecretArguments(words).secrets) {
    const found = byIndex.get(secret.word);
    if (found === undefined) byIndex.set(secret.word, [secret]);
    else found.push(secret);
  }
  return byIndex;
}

/** `text` with each range replaced by `[REDACTED:<kind>]` (overlapping ranges replaced once). */
function redactRanges(text: string, ranges: SecretArgument[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = "";
  let cursor = 0;
  for (const range of sorted) {
    if (range.start < cursor) continue; // inside one already replaced
    out += text.slice(cursor, range.start) + `[REDACTED:${range.kind}]`;
    cursor = range.end;
  }
  return out + text.slice(cursor);
}
