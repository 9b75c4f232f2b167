/**
 * Test helpers: random text made of what secrets, secret names, their values and their
 * surroundings are made of, for property tests that compare the scrubbers' shortcuts with a
 * full scan. Not used by Beacon itself.
 *
 * @module
 */
import fc from "fast-check";
import { SECRET_SHAPES, secretBody } from "../../tests/content/fake_secrets.ts";

/**
 * Pieces the scanners react to: token prefixes (also cut short, in other cases and glued to
 * words), secret names and flags, separators, quotes, placeholders, escapes and PEM lines.
 */
const PIECES = [
  "sk-",
  "sk-ant-",
  "SK-",
  "task-",
  "ghp_",
  "gho_",
  "github_pat_",
  "glpat-",
  "xoxb-",
  "hooks.slack.com/services/",
  "sk_live_",
  "rk_test_",
  "AKIA",
  "ASIA",
  "akia",
  "AIza",
  "ya29.",
  "npm_",
  "hf_",
  "pypi-AgE",
  "dop_v1_",
  "SG.",
  "eyJ",
  ".eyJ",
  "://",
  "https://bob:",
  "@host",
  "Bearer ",
  "bearer\t",
  "BASIC ",
  "Basic Ym9iOnNlY3JldA==",
  "-u ",
  "--user=",
  "--proxy-user ",
  "-----BEGIN RSA PRIVATE KEY-----\n",
  "-----END RSA PRIVATE KEY-----",
  "-----begin private key-----",
  "password",
  "PASSWORD",
  "passwd",
  "pw",
  "PWD",
  "OLDPWD",
  "secret",
  "client_secret",
  "token",
  "Token",
  "token_count",
  "auth",
  "Authorization",
  "api_key",
  "apiKey",
  "primary_key",
  "credential",
  "Cookie",
  "aws_secret_access_key",
  "--password",
  "-token",
  "DB_PASSWORD",
  "=",
  "==",
  ":",
  "::",
  ":=",
  "=>",
  " ",
  "\t",
  "\n",
  "\r\n",
  "\\n",
  '"',
  "'",
  "`",
  '\\"',
  "$TOKEN",
  "${TOKEN}",
  "${{ secrets.X }}",
  "<your-key>",
  "***",
  "[REDACTED:secret]",
  "hunter2",
  "1234",
  "12345",
  "true",
  "str",
  "string",
  "self.token",
  "getToken()",
  "f",
  "(",
  ")",
  ",",
  ";",
  "-",
  "_",
  ".",
  "é",
  "🙂",
  "\ud800",
  // Command lines: programs whose short options take secrets, and shell syntax.
  "docker",
  "login",
  " -p ",
  "-p",
  "mysql",
  " -pQ7mRt2Xv",
  "redis-cli -a ",
  "config set ",
  "set -gx ",
  "echo x | ",
  "--password-stdin",
  "<<< ",
  "bash -lc ",
  "$(",
  "&&",
  "|",
  "\\\n",
  "Q7mRt2XvLp9sWd4KzNb8Hc",
  "abcdefghijklmnopqrstuvwxyzABCDEF0123456789",
];

/** One piece, a planted secret of any shape, or arbitrary text. */
const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...SECRET_SHAPES), secretBody).map(([shape, body]) =>
      shape.plant(body).text
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
);

/** Text glued together from up to 12 {@link piece}s. */
export const secretishText: fc.Arbitrary<string> = fc
  .array(piece, { maxLength: 12 })
  .map((pieces) => pieces.join(""));

/** A JSON value whose strings and keys are {@link secretishText} or plain words. */
export const secretishJsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    secretishText,
    fc.constantFrom("ls", "-la", "--password", "-token", "apply_patch", "/repo", ""),
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    fc.constantFrom(true, false, null, 12, 12345),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.array(
      fc.tuple(
        fc.oneof(
          secretishText,
          fc.constantFrom("cmd", "password", "apiKey", "token", "__proto__", "0", "10", "env"),
        ),
        tie("value"),
      ),
      { maxLength: 5 },
    ).map((entries) => Object.fromEntries(entries)),
  ),
})).value;
