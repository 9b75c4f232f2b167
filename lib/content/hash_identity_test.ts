import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { applyIdentityRule, hashIdentity } from "./hash_identity.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

Deno.test("hashIdentity joins the same email however it was typed", () => {
  const expected = sha256("ada@example.com");
  assert.equal(hashIdentity("ada@example.com"), expected);
  assert.equal(hashIdentity("  Ada@Example.COM\n"), expected);
  assert.match(expected, /^[0-9a-f]{64}$/);
});

Deno.test("hashIdentity trims account ids but keeps their case", () => {
  assert.equal(hashIdentity(" user-AbC123 "), sha256("user-AbC123"));
  assert.notEqual(hashIdentity("user-abc123"), hashIdentity("user-ABC123"));
});

Deno.test("hashIdentity is stable across releases and machines", () => {
  // A golden digest: changing the normalisation would break joins with earlier logs.
  assert.equal(
    hashIdentity("Ada@Example.com"),
    "b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72",
  );
});

Deno.test("applyIdentityRule hash uses the normalised identity", () => {
  assert.deepEqual(applyIdentityRule(" ADA@example.com", "hash", 4096), {
    mode: "hash",
    bytes: 16,
    sha256: sha256("ada@example.com"),
  });
});

Deno.test("applyIdentityRule redact keeps only an email's domain", () => {
  assert.deepEqual(applyIdentityRule("Ada@Example.com", "redact", 4096), {
    mode: "redact",
    bytes: 15,
    text: "***@example.com",
    redactions: 1,
  });
  assert.deepEqual(applyIdentityRule("user-abc123", "redact", 4096), {
    mode: "redact",
    bytes: 11,
    text: "***",
    redactions: 1,
  });
  assert.deepEqual(applyIdentityRule("", "redact", 4096), {
    mode: "redact",
    bytes: 0,
    text: "",
    redactions: 0,
  });
});

Deno.test("applyIdentityRule keep keeps and drop keeps the length", () => {
  assert.deepEqual(applyIdentityRule("ada@example.com", "keep", 4096), {
    mode: "keep",
    bytes: 15,
    text: "ada@example.com",
  });
  assert.deepEqual(applyIdentityRule("ada@example.com", "drop", 4096), {
    mode: "drop",
    bytes: 15,
  });
  assert.deepEqual(applyIdentityRule("a".repeat(100), "keep", 64), {
    mode: "keep",
    bytes: 100,
    text: "a".repeat(64),
    truncated: true,
  });
});
