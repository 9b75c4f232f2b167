import assert from "node:assert/strict";
import { isSecretName } from "./is_secret_name.ts";

Deno.test("isSecretName recognises names whose last word is a secret", () => {
  const secret = [
    "password",
    "DB_PASSWORD",
    "PGPASSWORD",
    "MYSQL_PWD",
    "passwd",
    "DB_PASS",
    "GITHUB_TOKEN",
    "accessToken",
    "csrftoken",
    "client_secret",
    "clientSecret",
    "api_key",
    "apiKey",
    "APIKey",
    "X-Api-Key",
    "apikey",
    "aws_secret_access_key",
    "private_key",
    "session_key",
    "Authorization",
    "oauth2-bearer",
    "auth",
    "oauth",
    "credentials",
    "Cookie",
    "Set-Cookie",
    "spring.datasource.password",
  ];
  for (const name of secret) assert.equal(isSecretName(name), true, name);
});

Deno.test("isSecretName ignores names that only mention a secret", () => {
  const ordinary = [
    "token_count",
    "max_tokens",
    "input_token_count",
    "password_file",
    "passwordHash",
    "secretName",
    "tokenizer",
    "author",
    "bypass",
    "compass",
    "GIT_ASKPASS",
    "key",
    "primary_key",
    "public_key",
    "sort_key",
    "PWD",
    "OLDPWD",
    "session_id",
    "conversation.id",
    "",
  ];
  for (const name of ordinary) assert.equal(isSecretName(name), false, name);
});
