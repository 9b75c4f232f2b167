import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import {
  fit,
  leaks,
  SAMPLE_BODY,
  SECRET_SHAPES,
  secretBody,
} from "../../tests/content/fake_secrets.ts";
import { applyContentRule } from "./apply_content_rule.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

Deno.test("applyContentRule keep: the text as sent, cut to the limit", () => {
  assert.deepEqual(applyContentRule("ls -la", "keep", { maxFieldBytes: 64 }), {
    mode: "keep",
    bytes: 6,
    text: "ls -la",
  });
  assert.deepEqual(applyContentRule("é".repeat(40), "keep", { maxFieldBytes: 64 }), {
    mode: "keep",
    bytes: 80,
    text: "é".repeat(32),
    truncated: true,
  });
});

Deno.test("applyContentRule redact: secrets replaced and counted, also when there are none", () => {
  assert.deepEqual(
    applyContentRule("export GITHUB_TOKEN=abc123", "redact", { maxFieldBytes: 4096 }),
    { mode: "redact", bytes: 26, text: "export GITHUB_TOKEN=[REDACTED:secret]", redactions: 1 },
  );
  assert.deepEqual(applyContentRule("ls -la", "redact", { maxFieldBytes: 4096 }), {
    mode: "redact",
    bytes: 6,
    text: "ls -la",
    redactions: 0,
  });
});

Deno.test("applyContentRule redact scrubs before cutting, so a secret at the cut leaks nothing", () => {
  const key = "sk-" + "proj-" + fit(SAMPLE_BODY, 100);
  const value = "x".repeat(40) + " OPENAI_API_KEY=" + key + " and more text after it";
  const maxFieldBytes = 80; // the cut falls inside the key
  // Cutting first would keep the start of the key:
  const kept = applyContentRule(value, "keep", { maxFieldBytes });
  assert.ok(kept.text!.includes(key.slice(0, 20)));
  // Redacting first keeps none of it:
  const redacted = applyContentRule(value, "redact", { maxFieldBytes });
  assert.deepEqual(redacted, {
    mode: "redact",
    bytes: value.length,
    text: "x".repeat(40) + " OPENAI_API_KEY=[REDACTED:openai-key] an",
    truncated: true,
    redactions: 1,
  });
});

Deno.test("applyContentRule redact never ends in half a replacement", () => {
  const value = "DB_PASSWORD=hunter2 and the rest";
  const field = applyContentRule(value, "redact", { maxFieldBytes: 20 });
  assert.deepEqual(field, {
    mode: "redact",
    bytes: value.length,
    text: "DB_PASSWORD=",
    truncated: true,
    redactions: 1,
  });
});

Deno.test("applyContentRule redact with json scrubs tool arguments structurally", () => {
  const args = '{"cmd":["mysql","--password","hunter2"]}';
  assert.deepEqual(applyContentRule(args, "redact", { maxFieldBytes: 4096, json: true }), {
    mode: "redact",
    bytes: args.length,
    text: '{"cmd":["mysql","--password","[REDACTED:secret]"]}',
    redactions: 1,
  });
});

Deno.test("applyContentRule hash: SHA-256 of the whole original value, no text", () => {
  const value = "a".repeat(10_000) + "é";
  assert.deepEqual(applyContentRule(value, "hash", { maxFieldBytes: 64 }), {
    mode: "hash",
    bytes: 10_002,
    sha256: sha256(value),
  });
});

Deno.test("applyContentRule drop: only the length", () => {
  assert.deepEqual(applyContentRule("secret plans 🙂", "drop", { maxFieldBytes: 4096 }), {
    mode: "drop",
    bytes: 17,
  });
});

Deno.test("property: drop and hash never carry the input", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.boolean(), (value, json) => {
      const options = { maxFieldBytes: 64, json };
      const bytes = new TextEncoder().encode(value).length;
      const dropped = applyContentRule(value, "drop", options);
      const hashed = applyContentRule(value, "hash", options);
      assert.deepEqual(dropped, { mode: "drop", bytes });
      assert.deepEqual(hashed, { mode: "hash", bytes, sha256: sha256(value) });
    }),
  );
});

Deno.test("property: redact never outputs a planted secret; drop and hash never output it", () => {
  const rules = ["redact", "hash", "drop"] as const;
  for (const shape of SECRET_SHAPES) {
    fc.assert(
      fc.property(
        fc.string(),
        secretBody,
        fc.string(),
        fc.constantFrom(...rules),
        fc.integer({ min: 64, max: 512 }),
        (before, body, after, rule, maxFieldBytes) => {
          const planted = shape.plant(body);
          const value = `${before} ${planted.text} ${after}`;
          const field = applyContentRule(value, rule, { maxFieldBytes });
          return !leaks(JSON.stringify(field), planted.secret);
        },
      ),
      { numRuns: 60 },
    );
  }
});

Deno.test("applyContentRule: fields come in a fixed order (the runtime log's JSON)", () => {
  const keys = (value: string, rule: "keep" | "redact" | "hash" | "drop", maxFieldBytes = 4096) =>
    Object.keys(applyContentRule(value, rule, { maxFieldBytes }));
  assert.deepEqual(keys("ls", "keep"), ["mode", "bytes", "text"]);
  assert.deepEqual(keys("x".repeat(100), "keep", 64), ["mode", "bytes", "text", "truncated"]);
  assert.deepEqual(keys("TOKEN=abc", "redact"), ["mode", "bytes", "text", "redactions"]);
  assert.deepEqual(keys("TOKEN=abc ".repeat(20), "redact", 64), [
    "mode",
    "bytes",
    "text",
    "truncated",
    "redactions",
  ]);
  assert.deepEqual(keys("ls", "hash"), ["mode", "bytes", "sha256"]);
  assert.deepEqual(keys("ls", "drop"), ["mode", "bytes"]);
});
