import assert from "node:assert/strict";
import { isProbableSecretValue } from "./is_probable_secret_value.ts";

Deno.test("isProbableSecretValue accepts literals", () => {
  for (const value of ["hunter2", "correct horse", "12345", "s3cr3t!", "a.1"]) {
    assert.equal(isProbableSecretValue(value, { quoted: false, name: "password" }), true, value);
  }
});

Deno.test("isProbableSecretValue rejects placeholders, keywords and short numbers", () => {
  const notSecrets = [
    "",
    "   ",
    "$TOKEN",
    "${TOKEN}",
    "${TOKEN:-default}",
    "${{ secrets.TOKEN }}",
    "{{ vault_token }}",
    "$(cat token.txt)",
    "%TOKEN%",
    "<your-token>",
    "****",
    "xxxx",
    "...",
    "true",
    "None",
    "null",
    "0",
    "8080",
    "[REDACTED:secret]",
    "Bearer ${TOKEN}",
    "{token}",
    "%(password)s",
  ];
  for (const value of notSecrets) {
    assert.equal(isProbableSecretValue(value, { quoted: true }), false, value);
  }
});

Deno.test("isProbableSecretValue takes unquoted code for code", () => {
  const code = ["os.environ", "self.password", "string", "str", "await", "void", "KeyObject"];
  for (const value of code) {
    assert.equal(isProbableSecretValue(value, { quoted: false, name: "token" }), false, value);
    // The same text in quotes is a literal.
    assert.equal(isProbableSecretValue(value, { quoted: true, name: "token" }), true, value);
  }
});

Deno.test("isProbableSecretValue takes a value named like its key for a reference", () => {
  const references: [string, string][] = [
    ["password", "password"],
    ["db_password", "password"],
    ["accessToken", "token"],
    ["keyToken", "nextToken"],
    ["PASSWORD", "--password"],
  ];
  for (const [value, name] of references) {
    assert.equal(isProbableSecretValue(value, { quoted: false, name }), false, value);
  }
  // A quoted string only when it ends the key's own name: a constant's value.
  const constants: [string, string][] = [
    ["reset_password", "ASPNETCORE_VALUE_RESET_PASSWORD"],
    ["gen_ai.server.time_to_first_token", "METRIC_GEN_AI_SERVER_TIME_TO_FIRST_TOKEN"],
  ];
  for (const [value, name] of constants) {
    assert.equal(isProbableSecretValue(value, { quoted: true, name }), false, value);
  }
  assert.equal(
    isProbableSecretValue("super-secret-password", { quoted: true, name: "password" }),
    true,
  );
  assert.equal(isProbableSecretValue("Q7mRt2XvLp9s", { quoted: false, name: "token" }), true);
});
