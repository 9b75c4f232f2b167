/**
 * Finds secrets in free text (command lines, file contents, tool output, prompts) and replaces
 * each with `[REDACTED:<kind>]`, keeping the text around it readable.
 *
 * Three kinds of evidence, each found on the original text; overlapping finds are merged into
 * one replacement (named after the most specific kind) so nothing of either leaks:
 *
 * 1. PEM private key blocks, from `-----BEGIN … PRIVATE KEY-----` through the matching END line.
 *    A block with no END (cut off by the sender) is redacted to the end of the text.
 * 2. Secrets recognisable by shape alone ({@link SECRET_TOKEN_PATTERNS}): vendor API keys,
 *    JWTs, `Bearer`/`Basic` credentials, passwords in URLs and `curl -u user:password`.
 * 3. Values assigned to secret-looking names ({@link isSecretName}): `DB_PASSWORD=…`,
 *    `api_key: …`, `"client_secret": "…"`, `--token …`, `Authorization: Bearer …`. Only the value
 *    is replaced. Values that are evidently not literals are kept, see
 *    {@link isProbableSecretValue}: placeholders (`$TOKEN`, `${{ secrets.X }}`), keywords,
 *    numbers of up to 4 digits, and, unquoted, code (`token = getToken()`, `self.password`,
 *    `password: string`, `password=password`).
 * 4. Secrets passed as arguments, read by the shape of the command line (shell words, nested
 *    `bash -lc "…"` scripts included, see {@link findCommandLineSecrets}): `docker login -p …`,
 *    `mysql -p…`, `redis-cli -a …`, `aws configure set aws_secret_access_key …`,
 *    `echo … | docker login --password-stdin`. Which option of which program takes a secret is
 *    a table (`SECRET_ARGUMENT_RULES`): `-p` is a port for `docker run` and `ssh`.
 *
 * Every regular expression starts at a literal or a one-character look-behind and has no nested
 * or overlapping quantifiers, and each scanner resumes after what it consumed, so the cost is
 * linear in the length of the text (about a dozen passes over it).
 *
 * @module
 */
import { findCommandLineSecrets, mayHoldCommandLineSecrets } from "./find_command_line_secrets.ts";
import { isProbableSecretValue, TYPE_NAMES } from "./is_probable_secret_value.ts";
import { isSecretName, SECRET_NAME_HINT } from "./is_secret_name.ts";
import { SECRET_ARGUMENT_HINT } from "./secret_argument_rules.ts";
import { secretKindForName } from "./secret_kind_for_name.ts";
import { SECRET_TOKEN_PATTERNS, type SecretTokenPattern } from "./secret_token_patterns.ts";

/**
 * Replaces every secret found in `text` with `[REDACTED:<kind>]` and counts the replacements.
 * Text without secrets comes back unchanged.
 *
 * @example
 * ```ts
 * scrubSecrets("export DB_PASSWORD=hunter2 && psql");
 * // { text: "export DB_PASSWORD=[REDACTED:secret] && psql", redactions: 1 }
 * scrubSecrets("git clone https://bob:s3cret@git.example.com/repo.git");
 * // { text: "git clone https://bob:[REDACTED:url-password]@git.example.com/repo.git", redactions: 1 }
 * ```
 */
export function scrubSecrets(text: string): { text: string; redactions: number } {
  return scan(text, true);
}

/**
 * {@link scrubSecrets} without its shortcuts: every scanner runs over the whole text, even where
 * a cheap first test shows it cannot find anything. The reference the shortcuts are tested
 * against; the result is always the same.
 *
 * @example
 * ```ts
 * scrubSecretsExhaustively("export DB_PASSWORD=hunter2 && psql");
 * // { text: "export DB_PASSWORD=[REDACTED:secret] && psql", redactions: 1 }
 * ```
 */
export function scrubSecretsExhaustively(text: string): { text: string; redactions: number } {
  return scan(text, false);
}

/**
 * Any token's hint ({@link SecretTokenPattern.hint}): text without one holds no token, so none
 * of the token patterns need run over it (most text holds none).
 */
const ANY_TOKEN_HINT = new RegExp(SECRET_TOKEN_PATTERNS.map((token) => token.hint).join("|"), "i");

/**
 * What every scanner needs to find something: the start of a PEM block, a token's hint
 * ({@link ANY_TOKEN_HINT}), {@link SECRET_NAME_HINT} or {@link SECRET_ARGUMENT_HINT}. Most text (file names, plain commands,
 * JSON keys) has none of them and is returned as it is. Two expressions, the case-sensitive hints
 * and the rest, because V8 runs those faster than one case-insensitive alternation of them all.
 */
const CASE_SENSITIVE_HINT = new RegExp(
  [
    "-----BEGIN ",
    ...SECRET_TOKEN_PATTERNS.filter((token) => !token.pattern.ignoreCase).map((token) =>
      token.hint
    ),
  ].join("|"),
);
const CASE_INSENSITIVE_HINT = new RegExp(
  [
    ...SECRET_TOKEN_PATTERNS.filter((token) => token.pattern.ignoreCase).map((token) => token.hint),
    SECRET_NAME_HINT.source,
    SECRET_ARGUMENT_HINT.source,
  ].join("|"),
  "i",
);

/**
 * False when {@link scrubSecrets} certainly finds nothing in `text`, nor in any part of it (it
 * lacks every hint a scanner needs, so every part of it does too): such text comes back
 * unchanged with no redactions. True means only that a full scan is needed.
 *
 * @example
 * ```ts
 * mayHoldSecrets("echo hello > out.txt"); // false
 * mayHoldSecrets("export TOKEN=abc"); // true
 * ```
 */
export function mayHoldSecrets(text: string): boolean {
  return CASE_SENSITIVE_HINT.test(text) || CASE_INSENSITIVE_HINT.test(text);
}

function scan(text: string, shortcuts: boolean): { text: string; redactions: number } {
  if (text === "" || (shortcuts && !mayHoldSecrets(text))) return { text, redactions: 0 };
  const spans: Span[] = [];
  findPrivateKeys(text, spans);
  if (!shortcuts || ANY_TOKEN_HINT.test(text)) {
    for (let index = 0; index < SECRET_TOKEN_PATTERNS.length; index++) {
      findTokens(text, SECRET_TOKEN_PATTERNS[index], index + 1, spans);
    }
  }
  // Both only redact values of names isSecretName accepts, and every such name (a part of the
  // text) contains SECRET_NAME_HINT.
  if (!shortcuts || SECRET_NAME_HINT.test(text)) {
    findAssignments(text, spans);
    findFlags(text, spans);
  }
  if (!shortcuts || mayHoldCommandLineSecrets(text)) {
    for (const secret of findCommandLineSecrets(text)) {
      spans.push({ ...secret, rank: ASSIGNMENT_RANK });
    }
  }
  return replaceSpans(text, spans);
}

/** A range of the original text to replace. Lower rank names the replacement when merged. */
interface Span {
  start: number;
  end: number;
  kind: string;
  rank: number;
}

const PRIVATE_KEY_RANK = 0;
const ASSIGNMENT_RANK = SECRET_TOKEN_PATTERNS.length + 1;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

function findPrivateKeys(text: string, spans: Span[]): void {
  PEM_BEGIN.lastIndex = 0;
  for (let begin = PEM_BEGIN.exec(text); begin; begin = PEM_BEGIN.exec(text)) {
    PEM_END.lastIndex = PEM_BEGIN.lastIndex;
    const end = PEM_END.exec(text);
    const stop = end ? PEM_END.lastIndex : text.length;
    spans.push({ start: begin.index, end: stop, kind: "private-key", rank: PRIVATE_KEY_RANK });
    if (!end) return;
    PEM_BEGIN.lastIndex = stop;
  }
}

function findTokens(text: string, token: SecretTokenPattern, rank: number, spans: Span[]): void {
  const pattern = token.pattern;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [start, end] = match.indices![match.length > 1 ? 1 : 0]!;
    if (end > start && (!token.accept || token.accept(text.slice(start, end)))) {
      spans.push({ start, end, kind: token.kind, rank });
    }
  }
}

// name, optional closing quote of a quoted key (also JSON-escaped: \"), then = : := or =>.
// `==`, `::` and `!=` are not assignments.
const ASSIGNMENT =
  /(?:(?<=\\[nrt])|(?<![A-Za-z0-9_.-]))([A-Za-z_][A-Za-z0-9_.-]{0,127})(?:\\?["'])?[ \t]{0,8}(:=|=>|=(?!=)|:(?!:))[ \t]{0,8}/g;

function findAssignments(text: string, spans: Span[]): void {
  ASSIGNMENT.lastIndex = 0;
  for (let match = ASSIGNMENT.exec(text); match; match = ASSIGNMENT.exec(text)) {
    const name = match[1];
    if (!isSecretName(name)) continue; // the value is scanned again: it may hold a name too
    const extendToLineEnd = match[2] === ":" &&
      (/cookie$/i.test(name) || startsLine(text, match.index));
    const found = secretValue(text, ASSIGNMENT.lastIndex, name, {
      extendToLineEnd,
      allowPrefix: true,
      colon: match[2] === ":",
    });
    if (found.span) {
      spans.push({ ...found.span, kind: secretKindForName(name), rank: ASSIGNMENT_RANK });
    }
    ASSIGNMENT.lastIndex = Math.max(ASSIGNMENT.lastIndex, found.next);
  }
}

// --password value, --password=value, -token value
const FLAG = /(?<![A-Za-z0-9_-])--?([A-Za-z][A-Za-z0-9_.-]{0,127})(=|[ \t]+)/g;

function findFlags(text: string, spans: Span[]): void {
  FLAG.lastIndex = 0;
  for (let match = FLAG.exec(text); match; match = FLAG.exec(text)) {
    const name = match[1];
    if (!isSecretName(name)) continue;
    if (match[2] !== "=" && text[FLAG.lastIndex] === "-") continue; // the next flag, no value
    const found = secretValue(text, FLAG.lastIndex, name, AFTER_PREFIX);
    if (found.span) {
      spans.push({ ...found.span, kind: secretKindForName(name), rank: ASSIGNMENT_RANK });
    }
    FLAG.lastIndex = Math.max(FLAG.lastIndex, found.next);
  }
}

/** Whether only indentation, quotes or a YAML list dash precede `index` on its line. */
function startsLine(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0 && i >= index - 64; i--) {
    const char = text[i];
    if (char === "\n" || char === "\r") return true;
    if (char !== " " && char !== "\t" && char !== '"' && char !== "'" && char !== "-") return false;
  }
  return index < 64;
}

interface ValueFound {
  /** What to redact, if the value is a probable secret. */
  span?: { start: number; end: number };
  /** Where scanning for names may resume. */
  next: number;
}

const CODE_AFTER = /^[ \t]*[,;)|>\]]/;
// Python string prefixes: f"Bearer {token}", r'…', b"…".
const STRING_PREFIX = /[fFrRbBuU]{1,2}(?=["'])/y;
const AUTH_HEADER = /auth(?:orization)?$/i;
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|digest|apikey|negotiate|ntlm)$/i;
const SPACES = /[ \t]+/y;
const TYPE_DEFAULT = /[ \t]*=(?!=)[ \t]*/y;
const DOLLAR_PLACEHOLDER =
  /\$(?:\{\{[^{}\r\n]*\}\}|\{[^{}\r\n]*\}|\([^()\r\n]*\)|[A-Za-z_][A-Za-z0-9_]*)/y;
// A bare value ends at whitespace, quotes, brackets, separators and backslashes (JSON escapes).
const BARE = /[^\s"'`,;(){}[\]<>&|\\]+/y;
const REST_OF_LINE = /[^\r\n"'`]*/y;

interface ValueOptions {
  /** An unquoted value runs to the end of its line (YAML, headers). */
  extendToLineEnd: boolean;
  /** `Authorization: Bearer <token>` and `password: str = <value>` forms may follow. */
  allowPrefix: boolean;
  /** The separator was a colon. */
  colon: boolean;
}

/** After a scheme or a type: the value itself, read once (no further prefixes). */
const AFTER_PREFIX: ValueOptions = { extendToLineEnd: false, allowPrefix: false, colon: false };

/** Reads the value starting at `pos` and decides whether it is a secret to redact. */
function secretValue(
  text: string,
  pos: number,
  name: string,
  options: ValueOptions,
): ValueFound {
  const stringPrefix = stickyMatch(STRING_PREFIX, text, pos);
  if (stringPrefix !== undefined) pos += stringPrefix.length;
  const quoted = readQuoted(text, pos);
  if (quoted) {
    const value = text.slice(quoted.start, quoted.end);
    return isProbableSecretValue(value, { quoted: true, name })
      ? { span: { start: quoted.start, end: quoted.end }, next: quoted.next }
      : { next: quoted.next };
  }
  if (text[pos] === "$") {
    const placeholder = stickyMatch(DOLLAR_PLACEHOLDER, text, pos);
    if (placeholder !== undefined) return { next: pos + placeholder.length };
  }
  const bare = stickyMatch(BARE, text, pos);
  if (bare === undefined) return { next: pos };
  const end = pos + bare.length;
  const following = text[end];
  if (following === "(" || following === "[") return { next: end }; // a call or an index
  if (options.allowPrefix && AUTH_HEADER.test(name) && AUTH_SCHEME.test(bare)) {
    // Authorization: Bearer <token>: keep the scheme, judge what follows it.
    const spaces = stickyMatch(SPACES, text, end);
    if (spaces === undefined) return { next: end };
    return secretValue(text, end + spaces.length, name, AFTER_PREFIX);
  }
  if (options.allowPrefix && TYPE_NAMES.has(bare.toLowerCase())) {
    // password: str = "hunter2": the type is code, the default value may be a secret.
    const equals = stickyMatch(TYPE_DEFAULT, text, end);
    if (equals === undefined) return { next: end };
    return secretValue(text, end + equals.length, name, AFTER_PREFIX);
  }
  if (!isProbableSecretValue(bare, { quoted: false, name })) return { next: end };
  // `name: Type,` `(token: Buffer)` `{ password: pw }`: a digit-free identifier after a colon
  // and before more code is a type or a variable. (A random token has digits.)
  if (
    options.colon && /^[A-Za-z_$]+$/.test(bare) && CODE_AFTER.test(text.slice(end, end + 9))
  ) {
    return { next: end };
  }
  if (!options.extendToLineEnd) return { span: { start: pos, end }, next: end };
  // YAML and header lines (`password: two words`, `Cookie: a=1; b=2`) run to the line's end.
  const rest = stickyMatch(REST_OF_LINE, text, pos) ?? bare;
  const restEnd = pos + rest.trimEnd().length;
  return { span: { start: pos, end: restEnd }, next: restEnd };
}

/**
 * A quoted value at `pos` (`"…"`, `'…'`, `` `…` ``, or JSON-escaped `\"…\"`): its contents and
 * where scanning resumes. An unterminated quote runs to the end of the line, so a value cut off
 * by the sender is still redacted. A loop rather than a regular expression: a quoted value can
 * be megabytes long, and an alternation under `*` would overflow V8's backtracking stack.
 */
function readQuoted(
  text: string,
  pos: number,
): { start: number; end: number; next: number } | undefined {
  let quote = text[pos];
  const escaped = quote === "\\";
  if (escaped) quote = text[pos + 1];
  if (quote !== '"' && quote !== "'" && (quote !== "`" || escaped)) return undefined;
  const start = pos + (escaped ? 2 : 1);
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === "\n" || char === "\r") return { start, end: i, next: i };
    if (char === "\\") {
      if (escaped && text[i + 1] === quote) return { start, end: i, next: i + 2 };
      if (text[i + 1] === "\n" || text[i + 1] === "\r") return { start, end: i + 1, next: i + 1 };
      i++; // an escaped character, a quote included
    } else if (char === quote && !escaped) {
      return { start, end: i, next: i + 1 };
    }
  }
  return { start, end: text.length, next: text.length };
}

function stickyMatch(pattern: RegExp, text: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(text)?.[0];
}

function replaceSpans(text: string, spans: Span[]): { text: string; redactions: number } {
  if (spans.length === 0) return { text, redactions: 0 };
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let cursor = 0;
  let redactions = 0;
  for (let i = 0; i < spans.length;) {
    let { start, end, kind, rank } = spans[i++];
    start = Math.max(start, cursor);
    for (; i < spans.length && spans[i].start < end; i++) {
      end = Math.max(end, spans[i].end);
      if (spans[i].rank < rank) ({ kind, rank } = spans[i]);
    }
    parts.push(text.slice(cursor, start), `[REDACTED:${kind}]`);
    cursor = end;
    redactions++;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(""), redactions };
}
