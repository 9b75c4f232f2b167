import assert from "node:assert/strict";
import fc from "fast-check";
import {
  fit,
  leaks,
  SAMPLE_BODY,
  SECRET_SHAPES,
  secretBody,
} from "../../tests/content/fake_secrets.ts";
import { mayHoldSecrets, scrubSecrets, scrubSecretsExhaustively } from "./scrub_secrets.ts";
import { SECRET_TOKEN_PATTERNS } from "./secret_token_patterns.ts";
import { secretishText } from "./secretish_text_fixtures.ts";

Deno.test("scrubSecrets replaces one realistic sample of every secret kind, naming the kind", async (t) => {
  for (const shape of SECRET_SHAPES) {
    await t.step(shape.name, () => {
      const planted = shape.plant(SAMPLE_BODY);
      const result = scrubSecrets(`before ${planted.text} after`);
      assert.equal(result.redactions, 1, result.text);
      assert.ok(result.text.includes(`[REDACTED:${shape.kind}]`), result.text);
      assert.ok(!leaks(result.text, planted.secret), result.text);
      assert.ok(result.text.startsWith("before "), result.text);
      assert.equal(result.text.endsWith(" after"), !shape.toEnd, result.text);
    });
  }
});

Deno.test("scrubSecrets keeps everything around the secret readable", () => {
  const key = "sk-" + "proj-" + fit(SAMPLE_BODY, 60);
  const pem = "-----BEGIN PRIVATE " + "KEY-----\nMIIB" + fit(SAMPLE_BODY, 64) +
    "\n-----END PRIVATE " + "KEY-----";
  const cases: [string, string][] = [
    [
      `bash -lc 'export OPENAI_API_KEY=${key} && codex exec "hi"'`,
      `bash -lc 'export OPENAI_API_KEY=[REDACTED:openai-key] && codex exec "hi"'`,
    ],
    [
      "git clone https://bob:" + SAMPLE_BODY + "@git.example.com/team/repo.git",
      "git clone https://bob:[REDACTED:url-password]@git.example.com/team/repo.git",
    ],
    [
      "mongodb://admin:p@ss:w0rd@db:27017/?authSource=admin",
      "mongodb://admin:[REDACTED:url-password]@db:27017/?authSource=admin",
    ],
    [`cat key.pem\n${pem}\ndone`, "cat key.pem\n[REDACTED:private-key]\ndone"],
    [
      'curl -H "Authorization: Bearer ' + SAMPLE_BODY + '" https://api.example.com',
      'curl -H "Authorization: Bearer [REDACTED:bearer-token]" https://api.example.com',
    ],
    ["Authorization: token " + SAMPLE_BODY, "Authorization: token [REDACTED:secret]"],
    [
      "password: correct horse battery staple\nuser: bob",
      "password: [REDACTED:secret]\nuser: bob",
    ],
    ["Cookie: sessionid=abc123; csrftoken=def456", "Cookie: [REDACTED:secret]"],
    ['password: str = "hunter2"', 'password: str = "[REDACTED:secret]"'],
    ['password = f"hunter{n}"', 'password = f"[REDACTED:secret]"'],
    ['"password": "super-secret-password"', '"password": "[REDACTED:secret]"'],
    ["PGPASSWORD=hunter2 psql -h db", "PGPASSWORD=[REDACTED:secret] psql -h db"],
    [
      "https://api.example.com/v1?access_token=abc123def&page=2",
      "https://api.example.com/v1?access_token=[REDACTED:secret]&page=2",
    ],
    [
      '{\\"db_password\\":\\"hunter2\\",\\"user\\":\\"bob\\"}',
      '{\\"db_password\\":\\"[REDACTED:secret]\\",\\"user\\":\\"bob\\"}',
    ],
    ['token="unterminated secret\nnext line', 'token="[REDACTED:secret]\nnext line'],
    ["$db_password = 'hunter2';", "$db_password = '[REDACTED:secret]';"],
    [
      "curl --oauth2-bearer " + SAMPLE_BODY + " https://x",
      "curl --oauth2-bearer [REDACTED:secret] https://x",
    ],
  ];
  for (const [input, expected] of cases) assert.equal(scrubSecrets(input).text, expected);
});

Deno.test("scrubSecrets counts each secret once, even when several rules find it", () => {
  const token = "gh" + "p_" + fit(SAMPLE_BODY, 36);
  const result = scrubSecrets(`GITHUB_TOKEN=${token} GH_TOKEN=${token}`);
  assert.equal(
    result.text,
    "GITHUB_TOKEN=[REDACTED:github-token] GH_TOKEN=[REDACTED:github-token]",
  );
  assert.equal(result.redactions, 2);
});

Deno.test("scrubSecrets finds tokens inside unparsed JSON strings, after \\n escapes", () => {
  const key = "sk-" + "ant-" + fit(SAMPLE_BODY, 40);
  const result = scrubSecrets(`{"output":"line one\\n${key}\\nline three"`);
  assert.equal(result.text, '{"output":"line one\\n[REDACTED:anthropic-key]\\nline three"');
});

Deno.test("scrubSecrets leaves ordinary code, identifiers and prose alone", () => {
  const unchanged = [
    // Code that names secrets without containing any.
    "const token = await getToken();",
    "self.password = password",
    "connect(user=user, password=password)",
    "api_key = os.environ['OPENAI_API_KEY']",
    'token = os.getenv("GITHUB_TOKEN")',
    "password: string;",
    "def login(password: str) -> bool:",
    "token: Optional[str] = None",
    "password_hash = bcrypt.hashpw(pw, salt)",
    "if (password === confirmation) return;",
    "token_count = 5",
    "max_tokens: 4096",
    '{"input_token_count":"1234","output_token_count":"56"}',
    "secretName: my-secret",
    "auth: true",
    "password = None",
    "const { token } = useSession();",
    "return this.token;",
    "setPrivateKey(privateKey: KeyObject, encoding?: BufferEncoding): void;",
    "type Callback = (err: Error | null, token: Buffer | string) => void;",
    "exports.credentials = void 0;",
    "login({ password: pw, user });",
    "const { nextToken: keyToken } = parse(source);",
    'METRIC_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token"',
    'RESET_PASSWORD = "reset_password"',
    // Placeholders and references.
    "TOKEN=${GITHUB_TOKEN}",
    "password: ${{ secrets.DB_PASSWORD }}",
    "--password $PGPASSWORD",
    'curl -H "Authorization: Bearer $TOKEN" https://api.example.com',
    "  --token TOKEN        GitHub token to use",
    "API_KEY=<your-api-key>",
    "password=****",
    'headers = {"Authorization": f"Bearer {token}"}',
    "const headers = { Authorization: `Bearer ${token}` };",
    'DSN = "postgres://%(user)s:%(password)s@db/app"',
    "cursor.execute(sql, {'password': '%s'})",
    // Environment noise.
    "PWD=/home/me/project",
    "OLDPWD=/tmp",
    "GIT_ASKPASS=echo",
    // Identifiers that look random but are not secrets.
    "123e4567-e89b-12d3-a456-426614174000",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "integrity sha512-" + btoa("x".repeat(64)),
    // URLs and addresses without passwords.
    "https://user@example.com/path",
    "http://localhost:8080/v1/logs",
    "git@github.com:owner/repo.git",
    "ssh://git@example.com:22/repo.git",
    "docker run -u 1000:1000 image",
    // Prose.
    "Bearer tokens are sent in the Authorization header.",
    "Basic authentication is enabled.",
    "He was the bearer of bad news.",
    "We use the sk-learn library and the task-runner-for-everyone-here package.",
    "Enter your password:",
  ];
  for (const text of unchanged) {
    assert.deepEqual(scrubSecrets(text), { text, redactions: 0 }, text);
  }
});

Deno.test("scrubSecrets leaves a base64 image alone", () => {
  const bytes = new Uint8Array(8192).map((_, i) => (i * 7919 + (i >> 8) * 31) % 256);
  const image = "data:image/png;base64," + btoa(String.fromCharCode(...bytes));
  assert.deepEqual(scrubSecrets(image), { text: image, redactions: 0 });
});

Deno.test("scrubSecrets does not find its own replacements again", () => {
  const once = scrubSecrets(
    "DB_PASSWORD=hunter2 https://bob:" + SAMPLE_BODY + "@h/ " + '{"token": "abc"}',
  );
  assert.equal(once.redactions, 3);
  assert.deepEqual(scrubSecrets(once.text), { text: once.text, redactions: 0 });
});

Deno.test("scrubSecrets gets through 1 MiB adversarial inputs", () => {
  // No time is asserted: a catastrophic pattern would hang this test for minutes, not fail it.
  const size = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const inputs = [
    fill("a"),
    fill("A1"),
    "sk-" + fill("a"),
    fill("sk-"),
    fill('password="'),
    fill("password: str = "),
    fill("password=${"),
    fill("://a:b"),
    "://a:" + fill("b@"),
    fill("eyJaaaa."),
    fill("-----BEGIN PRIVATE " + "KEY-----"),
    fill("Bearer "),
    fill("basic "),
    fill("a="),
    fill("a:"),
    fill("--password "),
    fill('\\"'),
    fill('token=\\"'),
    fill("-u a:"),
    fill("AK" + "IA"),
    fill("token == "),
    "Authorization: " + fill("Bearer "),
    fill("password: str = "),
  ];
  for (const input of inputs) {
    const result = scrubSecrets(input);
    assert.equal(typeof result.text, "string");
  }
});

/** Surrounding text: printable ASCII, any Unicode grapheme, or control characters and newlines. */
const surrounding = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary-ascii" }),
);

Deno.test("scrubSecrets handles single tokens and values of many MiB", () => {
  // V8 keeps a backtracking entry per character for some regular expression forms and throws
  // RangeError past a few MiB; these shapes once did.
  const run = "A1b2".repeat(3 << 20); // 12 MiB
  const cases: [string, string][] = [
    ['password="' + run + '"', 'password="[REDACTED:secret]"'],
    ["password='" + run, "password='[REDACTED:secret]"],
    ['token=\\"' + run + '\\"', 'token=\\"[REDACTED:secret]\\"'],
    ["sk-" + run, "[REDACTED:openai-key]"],
    ["Bearer " + run, "Bearer [REDACTED:bearer-token]"],
    ["eyJ" + "hbGc.eyJ" + run + ".sig", "[REDACTED:jwt]"],
  ];
  for (const [input, expected] of cases) assert.equal(scrubSecrets(input).text, expected);
});

Deno.test("property: a planted secret of any kind never survives scrubSecrets", () => {
  for (const shape of SECRET_SHAPES) {
    fc.assert(
      fc.property(surrounding, secretBody, surrounding, (before, body, after) => {
        const planted = shape.plant(body);
        const result = scrubSecrets(`${before} ${planted.text} ${after}`);
        return !leaks(result.text, planted.secret) && result.redactions >= 1;
      }),
      { numRuns: 200 },
    );
  }
});

Deno.test("property: scrubbing scrubbed text changes nothing", () => {
  for (const shape of SECRET_SHAPES) {
    fc.assert(
      fc.property(surrounding, secretBody, surrounding, (before, body, after) => {
        const once = scrubSecrets(`${before} ${shape.plant(body).text} ${after}`).text;
        assert.deepEqual(scrubSecrets(once), { text: once, redactions: 0 });
      }),
      { numRuns: 100 },
    );
  }
});

Deno.test("property: scrubSecrets' shortcuts never change the result of a full scan", () => {
  fc.assert(
    fc.property(secretishText, (text) => {
      assert.deepEqual(scrubSecrets(text), scrubSecretsExhaustively(text));
    }),
    { numRuns: 3000 },
  );
});

/**
 * `text` with the last character of each hint deleted until no hint is left: the near misses the
 * "no hint, skip scanning" shortcut must be right about (a token prefix one letter short, a
 * secret name cut, a PEM line broken), as long as the secretish text they came from.
 */
function withoutHints(text: string): string {
  while (mayHoldSecrets(text)) {
    // The shortest prefix holding a hint ends with the hint's last character.
    let clean = 0;
    let hinted = text.length;
    while (hinted - clean > 1) {
      const middle = (clean + hinted) >> 1;
      if (mayHoldSecrets(text.slice(0, middle))) hinted = middle;
      else clean = middle;
    }
    text = text.slice(0, hinted - 1) + text.slice(hinted);
  }
  return text;
}

/** Secretish text (secrets planted, names, flags, prefixes) with every hint broken. */
const hintFreeText = fc.array(secretishText, { minLength: 1, maxLength: 4 })
  .map((texts) => withoutHints(texts.join(" ")));

Deno.test("hint-free samples are long near misses, not empty strings", () => {
  const samples = fc.sample(hintFreeText, { numRuns: 500, seed: 9 });
  const average = samples.reduce((sum, text) => sum + text.length, 0) / samples.length;
  assert.ok(average > 40, `average length ${average}`);
  assert.ok(samples.every((text) => !mayHoldSecrets(text)));
  // Near misses of secrets and secret names are there to be judged.
  assert.ok(samples.some((text) => /sk|gh|AKI|assw|oke|BEGIN/i.test(text)));
});

Deno.test("property: without a hint, no part of a text holds anything a full scan finds", () => {
  fc.assert(
    fc.property(hintFreeText, fc.nat(), fc.nat(), (text, a, b) => {
      const start = a % (text.length + 1);
      const part = text.slice(start, start + b % (text.length + 1 - start));
      assert.deepEqual(scrubSecretsExhaustively(part), { text: part, redactions: 0 });
    }),
    { numRuns: 3000 },
  );
  assert.equal(mayHoldSecrets("echo hello > out.txt && ls -la /tmp"), false);
  assert.equal(mayHoldSecrets("export TOKEN=abc"), true);
});

Deno.test("property: every match of a token pattern holds the pattern's hint", () => {
  const planted = fc.tuple(fc.constantFrom(...SECRET_SHAPES), secretBody, secretishText)
    .map(([shape, body, text]) => `${text} ${shape.plant(body).text} ${text}`);
  for (const token of SECRET_TOKEN_PATTERNS) {
    const hint = new RegExp(token.hint, token.pattern.ignoreCase ? "i" : "");
    fc.assert(
      fc.property(fc.oneof(secretishText, planted), (text) => {
        const pattern = new RegExp(token.pattern.source, token.pattern.flags);
        for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
          assert.ok(hint.test(match[0]), `${token.kind}: ${JSON.stringify(match[0])}`);
          if (match[0] === "") pattern.lastIndex++;
        }
      }),
      { numRuns: 300 },
    );
  }
});
