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
  /**
   * The source of a regular expression that finds something in every match of `pattern` (its
   * literal part), with the pattern's own case sensitivity: text without it cannot hold this
   * secret, so `scrubSecrets` does not scan it with `pattern` at all.
   */
  hint: string;
  /** A second look at a candidate, for shapes that ordinary words can also take. */
  accept?: (secret: string) => boolean;
}

// Tokens must start at a boundary: not glued to a word (`task-…` is not `sk-…`), except after a
// JSON escape such as `\n`, which is how they appear inside an unparsed JSON string.
const AT_START = String.raw`(?:(?<=\\[nrt])|(?<![A-Za-z0-9_-]))`;
const AT_START_ALNUM = String.raw`(?:(?<=\\[nrt])|(?<![A-Za-z0-9]))`;
const NOT_AFTER_WORD = "(?<![A-Za-z0-9_-])";

const ALNUM = "[A-Za-z0-9]";
const B64URL = "[A-Za-z0-9_-]";

/**
 * `count` or more of a character class, written `[x]{20}[x]*` rather than `[x]{20,}`: V8 runs
 * the former as a simple loop but keeps a backtracking entry per character for the latter, and
 * overflows its stack on a run of a few MiB.
 */
function atLeast(count: number, chars: string): string {
  return `${chars}{${count}}${chars}*`;
}

function token(source: string, flags = "gd"): RegExp {
  return new RegExp(source, flags);
}

/**
 * The recognisable secret shapes, most specific first: when matches overlap, the replacement is
 * named after the earliest entry. Every pattern begins with a literal or a one-character
 * look-behind and has no nested quantifiers, so scanning stays linear in the text's length.
 */
export const SECRET_TOKEN_PATTERNS: readonly SecretTokenPattern[] = [
  {
    kind: "anthropic-key",
    pattern: token(`${AT_START}sk-ant-${atLeast(20, B64URL)}`),
    hint: "sk-ant-",
  },
  {
    kind: "openai-key",
    pattern: token(`${AT_START}sk-(?!ant-)${atLeast(20, B64URL)}`),
    hint: "sk-",
    // Real keys are random; a kebab-case name such as `sk-some-long-component-name` is not.
    accept: (secret) => /[A-Z0-9]/.test(secret.slice(3)),
  },
  {
    kind: "github-token",
    pattern: token(`${AT_START}gh[pousr]_${atLeast(36, ALNUM)}`),
    hint: "gh[pousr]_",
  },
  {
    kind: "github-token",
    pattern: token(`${AT_START}github_pat_${atLeast(22, "[A-Za-z0-9_]")}`),
    hint: "github_pat_",
  },
  {
    kind: "gitlab-token",
    pattern: token(`${AT_START}glpat-${atLeast(20, "[A-Za-z0-9_.-]")}`),
    hint: "glpat-",
  },
  {
    kind: "slack-token",
    pattern: token(`${AT_START}xox[abprse]-${atLeast(10, "[A-Za-z0-9-]")}`),
    hint: "xox[abprse]-",
  },
  {
    kind: "slack-webhook",
    pattern: token(String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9/_-]+)`),
    hint: String.raw`hooks\.slack\.com/`,
  },
  {
    kind: "stripe-key",
    pattern: token(`${AT_START}[sr]k_(?:live|test)_${atLeast(10, ALNUM)}`),
    hint: "[sr]k_(?:live|test)_",
  },
  {
    kind: "aws-access-key-id",
    pattern: token(`${AT_START_ALNUM}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`),
    hint: "AKIA|ASIA",
  },
  {
    kind: "google-api-key",
    pattern: token(`${AT_START}AIza${atLeast(35, B64URL)}`),
    hint: "AIza",
  },
  {
    kind: "google-oauth-token",
    pattern: token(String.raw`${AT_START}ya29\.${atLeast(20, B64URL)}`),
    hint: String.raw`ya29\.`,
  },
  { kind: "npm-token", pattern: token(`${AT_START}npm_${atLeast(36, ALNUM)}`), hint: "npm_" },
  {
    kind: "huggingface-token",
    pattern: token(`${AT_START}hf_${atLeast(30, ALNUM)}`),
    hint: "hf_",
  },
  {
    kind: "pypi-token",
    pattern: token(`${AT_START}pypi-AgE${atLeast(50, B64URL)}`),
    hint: "pypi-AgE",
  },
  {
    kind: "digitalocean-token",
    pattern: token(`${AT_START}do[opr]_v1_[a-f0-9]{64}`),
    hint: "do[opr]_v1_",
  },
  {
    kind: "sendgrid-key",
    pattern: token(String.raw`${AT_START}SG\.${atLeast(16, B64URL)}\.${atLeast(16, B64URL)}`),
    hint: String.raw`SG\.`,
  },
  {
    kind: "jwt",
    pattern: token(
      String.raw`${AT_START}eyJ${atLeast(4, B64URL)}\.eyJ${atLeast(4, B64URL)}\.${B64URL}*`,
    ),
    hint: "eyJ",
  },
  {
    kind: "url-password",
    // scheme://user:PASSWORD@host. The password may itself contain `@` and `:`; the last `@`
    // before the path ends it.
    pattern: token(String.raw`://[^\s:/?#@"'\x60<>]*:([^\s/?#"'\x60<>]+)@`),
    hint: "://",
    accept: (password) => isProbableSecretValue(password, { quoted: true }),
  },
  {
    kind: "bearer-token",
    pattern: token(`${NOT_AFTER_WORD}bearer[ \\t]+(${atLeast(8, "[A-Za-z0-9._~+/-]")}=*)`, "gdi"),
    hint: "bearer",
    accept: looksRandom,
  },
  {
    kind: "basic-auth",
    pattern: token(`${NOT_AFTER_WORD}basic[ \\t]+(${atLeast(6, "[A-Za-z0-9+/]")}={0,2})`, "gdi"),
    hint: "basic",
    accept: isBasicCredentials,
  },
  {
    kind: "password",
    // curl -u user:password, --user, --proxy-user
    pattern: token(
      String.raw`${NOT_AFTER_WORD}(?:-u|--user|--proxy-user)(?:[ \t]+|=)["']?[^\s:"']+:([^\s"']+)`,
    ),
    hint: "-u",
    accept: (password) => isProbableSecretValue(password, { quoted: true }),
  },
];

/**
 * Random enough to be a token rather than a word: a digit, an upper-case letter after the
 * first character, or a symbol. `Bearer authentication` is prose; `Bearer abc123…` is not.
 */
function looksRandom(candidate: string): boolean {
  if (candidate.length > 256) return true; // no word is that long; keeps the tests below cheap
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
