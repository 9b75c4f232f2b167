import { splitNameWords } from "./split_name_words.ts";

/**
 * Whether a value found under a secret-looking name is worth redacting, rather than being a
 * placeholder (`$TOKEN`, `${{ secrets.X }}`, `<your-key>`, `***`, an earlier `[REDACTED:…]`),
 * a keyword (`true`, `null`, `None`), or a short number (up to 4 digits: a flag, a port or a
 * count, never a credential worth the false positives).
 *
 * A value made only of interpolations (`{token}`, `Bearer ${TOKEN}`) is a template, not a secret.
 *
 * Given the `name` it was assigned to, an identifier named like it is a reference or a constant's
 * own name (`password=db_password`, `token = accessToken`, `--password PASSWORD`,
 * `RESET_PASSWORD = "reset_password"`). A random value is never named like its key, so this
 * costs nothing.
 *
 * `quoted` says the value was a string literal (or a JSON string). An unquoted value is also
 * taken for code, and left alone, when it is a dotted path (`os.environ`, `self.token`), a type
 * (`password: string`, `privateKey: KeyObject`) or an expression keyword (`await`, `void`).
 *
 * @example
 * ```ts
 * isProbableSecretValue("hunter2", { quoted: false }); // true
 * isProbableSecretValue("${DB_PASSWORD}", { quoted: true }); // false
 * isProbableSecretValue("self.password", { quoted: false }); // false
 * isProbableSecretValue("db_password", { quoted: false, name: "password" }); // false
 * ```
 */
export function isProbableSecretValue(
  value: string,
  options: { quoted: boolean; name?: string },
): boolean {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.startsWith("[REDACTED")) return false;
  // No placeholder or identifier is this long; the checks below need not look at megabytes.
  if (trimmed.length > 1024) return true;
  if (/^\d{1,4}$/.test(trimmed)) return false;
  if (KEYWORDS.has(trimmed.toLowerCase())) return false;
  if (PLACEHOLDERS.some((pattern) => pattern.test(trimmed))) return false;
  if (isOnlyInterpolation(trimmed)) return false;
  if (options.name !== undefined && isNamedLike(trimmed, options.name, options.quoted)) {
    return false;
  }
  if (options.quoted) return true;
  if (TYPE_NAMES.has(trimmed.toLowerCase()) || CODE_WORDS.has(trimmed)) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(trimmed)) return false;
  // PascalCase of two or more words is a type (KeyObject, ServerCredentials), not a password.
  if (/^[A-Z][a-z]+(?:[A-Z][a-z]+)+$/.test(trimmed)) return false;
  return true;
}

/**
 * A template whose every part is filled in at run time, perhaps after an auth scheme:
 * `{token}`, `Bearer ${TOKEN}`, `%(password)s`. Any literal text left over makes it a secret.
 */
function isOnlyInterpolation(value: string): boolean {
  if (!/[{$%]/.test(value)) return false;
  const rest = value.replace(INTERPOLATION, "").trim();
  return /^(?:(?:bearer|basic|token|bot)\s*)?$/i.test(rest);
}

const INTERPOLATION =
  /\$\{\{[^{}]*\}\}|\$?\{[^{}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%\([A-Za-z_][A-Za-z0-9_]*\)s|%s/g;

/**
 * An identifier named like the key it is assigned to is a reference or a constant's own name, not
 * a secret: `password=db_password`, `token = accessToken`, `nextToken: keyToken`,
 * `--password PASSWORD`. A quoted string counts only when it is the end of the key's own name
 * (`RESET_PASSWORD = "reset_password"`), so `"password": "super-secret-password"` is a secret.
 */
function isNamedLike(value: string, name: string, quoted: boolean): boolean {
  if (!/^[A-Za-z_$][\w$.-]*$/.test(value)) return false;
  const squashedValue = squash(value);
  const squashedName = squash(name);
  if (squashedValue.length >= 4 && squashedName.endsWith(squashedValue)) return true;
  if (quoted) return false;
  if (squashedValue.endsWith(squashedName)) return true;
  const valueWords = splitNameWords(value);
  return valueWords.length >= 2 && valueWords.at(-1) === splitNameWords(name).at(-1);
}

/** Lower case, letters and digits only: `DB_PASSWORD` and `dbPassword` become `dbpassword`. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const KEYWORDS = new Set(["true", "false", "null", "none", "nil", "undefined"]);

/** Type names, so that `password: string` and `token: str = …` read as declarations. */
export const TYPE_NAMES: ReadonlySet<string> = new Set([
  "string",
  "str",
  "number",
  "int",
  "integer",
  "float",
  "bool",
  "boolean",
  "any",
  "unknown",
  "bytes",
  "object",
  "secretstr",
  "optional",
  "option",
]);

/** Words that begin an expression (`token = await fetchToken()`), not a literal. */
const CODE_WORDS = new Set([
  "await",
  "new",
  "yield",
  "async",
  "function",
  "lambda",
  "typeof",
  "not",
  "this",
  "self",
  "super",
  "void",
  "delete",
  "in",
  "instanceof",
  "of",
  "unique",
  "readonly",
  "keyof",
  "infer",
  "declare",
]);

// Each pattern is anchored and has no nested quantifiers: values can be long.
const PLACEHOLDERS = [
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $TOKEN
  /^\$\{[^{}]*\}$/, // ${TOKEN}, ${TOKEN:-default}
  /^\$?\{\{[\w\s.|-]*\}\}$/, // {{ token }}, ${{ secrets.TOKEN }}
  /^\$\([^()]*\)$/, // $(cat token.txt)
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %TOKEN%
  /^<[^<>]*>$/, // <your-token>
  /^\*+$/,
  /^[xX]{3,}$/,
  /^(?:\.\.\.|\u2026)$/, // ... or an ellipsis
];
