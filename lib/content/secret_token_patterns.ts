import { isProbableSecretValue } from "./is_probable_secret_value.ts";

/** A secret recognisable by its own shape, wherever it appears in text. */
export interface SecretTokenPattern {
  /** Shown in the replacement: `[REDACTED:<kind>]`. */
  kind: string;
  /**
   * Global, with the `d` flag. The secret is capture group 1 when the pattern has one (the rest
   * of the match, such as `Bearer ` or `://user:`, stays readable), else the whole match.
   */
  pattern: RegExp;
  /** A second look at a candidate, for shapes that ordinary words can also take. */
  accept?: (secret: string) => boolean;
}

// Tokens must start at a boundary: not glued to a word (`task-…` is not `sk-…`), except after a
// JSON escape such as `\n`, which is how they appear inside an unparsed JSON string.
const AT_START = String.raw`(?:(?<=\\[nrt])|(?<![A-Za-z0-9_-]))`;
const AT_START_ALNUM = String.raw`(?:(?<=\\[nrt])|(?<![A-Za-z0-9]))`;

function token(source: string, flags = "gd"): RegExp {
  return new RegExp(source, flags);
}

/**
 * The recognisable secret shapes, most specific first: when matches overlap, the replacement is
 * named after the earliest entry. Every pattern begins with a literal or a one-character
 * look-behind and has no nested quantifiers, so scanning stays linear in the text's length.
 */
export const SECRET_TOKEN_PATTERNS: readonly SecretTokenPattern[] = [
  { kind: "anthropic-key", pattern: token(`${AT_START}sk-ant-[A-Za-z0-9_-]{20,}`) },
  {
    kind: "openai-key",
    pattern: token(`${AT_START}sk-(?!ant-)[A-Za-z0-9_-]{20,}`),
    // Real keys are random; a kebab-case name such as `sk-some-long-component-name` is not.
    accept: (secret) => /[A-Z0-9]/.test(secret.slice(3)),
  },
  { kind: "github-token", pattern: token(`${AT_START}gh[pousr]_[A-Za-z0-9]{36,}`) },
  { kind: "github-token", pattern: token(`${AT_START}github_pat_[A-Za-z0-9_]{22,}`) },
  { kind: "gitlab-token", pattern: token(`${AT_START}glpat-[A-Za-z0-9_.-]{20,}`) },
  { kind: "slack-token", pattern: token(`${AT_START}xox[abprse]-[A-Za-z0-9-]{10,}`) },
  {
    kind: "slack-webhook",
    pattern: token(String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9/_-]+)`),
  },
  { kind: "stripe-key", pattern: token(`${AT_START}[sr]k_(?:live|test)_[A-Za-z0-9]{10,}`) },
  {
    kind: "aws-access-key-id",
    pattern: token(`${AT_START_ALNUM}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`),
  },
  { kind: "google-api-key", pattern: token(`${AT_START}AIza[A-Za-z0-9_-]{35,}`) },
  { kind: "google-oauth-token", pattern: token(String.raw`${AT_START}ya29\.[A-Za-z0-9_-]{20,}`) },
  { kind: "npm-token", pattern: token(`${AT_START}npm_[A-Za-z0-9]{36,}`) },
  { kind: "huggingface-token", pattern: token(`${AT_START}hf_[A-Za-z0-9]{30,}`) },
  { kind: "pypi-token", pattern: token(`${AT_START}pypi-AgE[A-Za-z0-9_-]{50,}`) },
  { kind: "digitalocean-token", pattern: token(`${AT_START}do[opr]_v1_[a-f0-9]{64}`) },
  {
    kind: "sendgrid-key",
    pattern: token(String.raw`${AT_START}SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}`),
  },
  {
    kind: "jwt",
    pattern: token(
      String.raw`${AT_START}eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`,
    ),
  },
  {
    kind: "url-password",
    // scheme://user:PASSWORD@host. The password may itself contain `@` and `:`; the last `@`
    // before the path ends it.
    pattern: token(String.raw`://[^\s:/?#@"'\x60<>]*:([^\s/?#"'\x60<>]+)@`),
    accept: (password) => isProbableSecretValue(password, { quoted: true }),
  },
  {
    kind: "bearer-token",
    pattern: token(String.raw`(?<![A-Za-z0-9_-])bearer[ \t]+([A-Za-z0-9._~+/-]{8,}=*)`, "gdi"),
    accept: looksRandom,
  },
  {
    kind: "basic-auth",
    pattern: token(String.raw`(?<![A-Za-z0-9_-])basic[ \t]+([A-Za-z0-9+/]{6,}={0,2})`, "gdi"),
    accept: isBasicCredentials,
  },
  {
    kind: "password",
    // curl -u user:password, --user, --proxy-user
    pattern: token(
      String.raw`(?<![A-Za-z0-9_-])(?:-u|--user|--proxy-user)(?:[ \t]+|=)["']?[^\s:"']+:([^\s"']+)`,
    ),
    accept: (password) => isProbableSecretValue(password, { quoted: true }),
  },
];

/**
 * Random enough to be a token rather than a word: a digit, an upper-case letter after the
 * first character, or a symbol. `Bearer authentication` is prose; `Bearer abc123…` is not.
 */
function looksRandom(candidate: string): boolean {
  return /[0-9._~+/=-]/.test(candidate) && !/^[a-z]+(?:-[a-z]+)+$/.test(candidate) ||
    /[A-Z]/.test(candidate.slice(1));
}

/** `Basic` credentials are base64 of `user:password`; prose (`Basic authentication`) is not. */
function isBasicCredentials(candidate: string): boolean {
  if (candidate.length % 4 !== 0) return false;
  try {
    return atob(candidate).includes(":");
  } catch {
    return false;
  }
}
