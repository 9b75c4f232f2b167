import assert from "node:assert/strict";
import fc from "fast-check";
import {
  fit,
  leaks,
  SAMPLE_BODY,
  SECRET_SHAPES,
  secretBody,
} from "../../tests/content/fake_secrets.ts";
import { scrubJsonStrings, scrubJsonStringsExhaustively } from "./scrub_json_strings.ts";
import { secretishJsonValue } from "./secretish_text_fixtures.ts";

Deno.test("scrubJsonStrings scrubs the strings of Codex tool arguments", () => {
  const key = "sk-" + "proj-" + fit(SAMPLE_BODY, 60);
  const args = JSON.stringify({
    command: ["bash", "-lc", `export OPENAI_API_KEY=${key} && codex exec hi`],
    workdir: "/home/me/project",
    timeout_ms: 10000,
  });
  assert.deepEqual(scrubJsonStrings(args), {
    text: JSON.stringify({
      command: ["bash", "-lc", "export OPENAI_API_KEY=[REDACTED:openai-key] && codex exec hi"],
      workdir: "/home/me/project",
      timeout_ms: 10000,
    }),
    redactions: 1,
  });
});

Deno.test("scrubJsonStrings replaces whole values under secret-looking keys", () => {
  const input = JSON.stringify({
    headers: { Authorization: "Bearer abc", "X-Api-Key": "plainvalue" },
    env: { PGPASSWORD: "hunter2", PGUSER: "app" },
    aws_secret_access_key: "abcdefghij",
    pin: 1234,
    api_token: 123456789,
    auth: { username: "bob", password: "pw" },
  });
  assert.deepEqual(scrubJsonStrings(input), {
    text: JSON.stringify({
      headers: { Authorization: "[REDACTED:secret]", "X-Api-Key": "[REDACTED:secret]" },
      env: { PGPASSWORD: "[REDACTED:secret]", PGUSER: "app" },
      aws_secret_access_key: "[REDACTED:aws-secret-key]",
      pin: 1234,
      api_token: "[REDACTED:secret]",
      auth: { username: "bob", password: "[REDACTED:secret]" },
    }),
    redactions: 6,
  });
});

Deno.test("scrubJsonStrings keeps placeholders and non-secret values under secret keys", () => {
  const input = JSON.stringify({
    token: "${GITHUB_TOKEN}",
    password: "",
    auth: true,
    secret: null,
    input_token_count: 1234,
    max_tokens: 4096,
  });
  assert.deepEqual(scrubJsonStrings(input), { text: input, redactions: 0 });
});

Deno.test("scrubJsonStrings replaces the argument after a secret flag", () => {
  const input = JSON.stringify({
    cmd: ["mysql", "--password", "hunter2", "--user", "root", "--token", "$TOKEN"],
  });
  assert.deepEqual(scrubJsonStrings(input), {
    text: JSON.stringify({
      cmd: ["mysql", "--password", "[REDACTED:secret]", "--user", "root", "--token", "$TOKEN"],
    }),
    redactions: 1,
  });
});

Deno.test("scrubJsonStrings re-serialises compactly", () => {
  assert.deepEqual(scrubJsonStrings('{\n  "a": [1, 2],\n  "b": "c"\n}'), {
    text: '{"a":[1,2],"b":"c"}',
    redactions: 0,
  });
  assert.deepEqual(scrubJsonStrings('"DB_PASSWORD=hunter2"'), {
    text: '"DB_PASSWORD=[REDACTED:secret]"',
    redactions: 1,
  });
});

Deno.test("scrubJsonStrings scrubs text that is not JSON as plain text, unchanged in form", () => {
  const cases = [
    '{"cmd": "export DB_PASSWORD=hunter2", "cut off', // truncated by the sender
    "export DB_PASSWORD=hunter2  ",
    "5e1 DB_PASSWORD=hunter2",
  ];
  for (const input of cases) {
    const result = scrubJsonStrings(input);
    assert.equal(result.text, input.replace("hunter2", "[REDACTED:secret]"));
    assert.equal(result.redactions, 1);
  }
  assert.deepEqual(scrubJsonStrings("5e1"), { text: "5e1", redactions: 0 });
});

Deno.test("scrubJsonStrings survives JSON nested too deeply to walk", () => {
  const depth = 200_000;
  const input = "[".repeat(depth) + '"DB_PASSWORD=hunter2"' + "]".repeat(depth);
  const result = scrubJsonStrings(input);
  assert.ok(!result.text.includes("hunter2"));
});

Deno.test("scrubJsonStrings gets through 1 MiB of adversarial JSON", () => {
  const many = JSON.stringify(Array.from({ length: 1 << 15 }, () => 'password="a b'));
  const long = JSON.stringify({ token: "x", note: "sk-".repeat(1 << 18) });
  for (const input of [many, long]) {
    assert.equal(typeof scrubJsonStrings(input).text, "string");
  }
});

Deno.test("property: a planted secret never survives scrubJsonStrings, wherever it sits", () => {
  for (const shape of SECRET_SHAPES) {
    fc.assert(
      fc.property(fc.string(), secretBody, fc.string(), (before, body, after) => {
        const planted = shape.plant(body);
        const text = `${before} ${planted.text} ${after}`;
        const asJson = JSON.stringify({ command: ["bash", "-lc", text], note: text });
        const result = scrubJsonStrings(asJson);
        const decoded = JSON.stringify(JSON.parse(result.text));
        return !leaks(result.text, planted.secret) && !leaks(decoded, planted.secret) &&
          result.redactions >= 2;
      }),
      { numRuns: 100 },
    );
  }
});

Deno.test("property: scrubJsonStrings' shortcut never changes the result of a full walk", () => {
  const layouts = fc.constantFrom<Array<(value: unknown) => string>>(
    (value) => JSON.stringify(value),
    (value) => JSON.stringify(value, null, 2),
    (value) => ` ${JSON.stringify(value)}\n`,
    (value) => JSON.stringify(value).replaceAll("s", "\\u0073"),
  );
  fc.assert(
    fc.property(secretishJsonValue, layouts, (value, layout) => {
      const text = layout(value);
      assert.deepEqual(scrubJsonStrings(text), scrubJsonStringsExhaustively(text));
    }),
    { numRuns: 3000 },
  );
  for (
    const text of [
      '{"__proto__":{"a":1}}',
      '{"cmd":"ls","__proto__":[]}',
      "[".repeat(40) + "]".repeat(40),
      // deep enough for the walk to overflow the stack and fall back to scrubbing the text
      "[ ".repeat(5000) + "]".repeat(5000),
      '{"a":' + "[".repeat(33) + "]".repeat(33) + "}",
      '{"cmd":"ls"',
      '"ls -la"',
      '{"pa\\u0073sword":"hunter2"}',
      '["mysql","--p\\u0061ssword","hunter2"]',
    ]
  ) {
    assert.deepEqual(scrubJsonStrings(text), scrubJsonStringsExhaustively(text), text);
  }
});
