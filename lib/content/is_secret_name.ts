import { splitNameWords } from "./split_name_words.ts";

/**
 * Whether a variable, key, header or flag name says its value is a secret: `DB_PASSWORD`,
 * `GITHUB_TOKEN`, `apiKey`, `X-Api-Key`, `client_secret`, `aws_secret_access_key`,
 * `Authorization`, `Cookie`, `PGPASSWORD`.
 *
 * The name is split into words (`_ - .` and camelCase) and its **last** word decides, so
 * `token_count`, `password_file`, `secretName` and `max_tokens` are not secret names while
 * `access_token` is. `key` counts only after a qualifier (`api_key`, `private_key`, not
 * `primary_key`). The environment variables `PWD` and `OLDPWD` (working directories) are not
 * secrets.
 *
 * @example
 * ```ts
 * isSecretName("GITHUB_TOKEN"); // true
 * isSecretName("token_count"); // false
 * ```
 */
export function isSecretName(name: string): boolean {
  if (name === "PWD" || name === "OLDPWD" || !SECRET_NAME_HINT.test(name)) return false;
  const words = splitNameWords(name);
  const last = words.at(-1);
  if (last === undefined) return false;
  if (EXACT_WORDS.has(last)) return true;
  if (SECRET_SUFFIXES.some((suffix) => last.endsWith(suffix))) return true;
  return last === "key" && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]);
}

/**
 * Cheap first test: every secret name contains one of these (most names contain none), so text
 * without any cannot hold a secret name either.
 */
export const SECRET_NAME_HINT: RegExp = /pass|pw|secret|token|auth|key|credential|cookie/i;

/** A last word ending in one of these makes a name secret (`pgpassword`, `oauth`, `csrftoken`). */
const SECRET_SUFFIXES = [
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "secret",
  "token",
  "auth",
  "authorization",
  "bearer",
  "credential",
  "credentials",
  "cookie",
  "apikey",
  "accesskey",
  "privatekey",
  "secretkey",
  "sessionkey",
  "signingkey",
  "encryptionkey",
  "masterkey",
];

/** Short words that are secret only as a whole word (`DB_PASS`, but not `bypass`). */
const EXACT_WORDS = new Set(["pass", "pw"]);

/** Words that make a following `key` a secret one. */
const KEY_QUALIFIERS = new Set([
  "api",
  "access",
  "private",
  "secret",
  "session",
  "signing",
  "encryption",
  "master",
  "client",
  "auth",
  "app",
  "service",
  "account",
  "license",
  "subscription",
]);
