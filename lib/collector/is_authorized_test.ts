import assert from "node:assert/strict";
import { isAuthorized } from "./is_authorized.ts";

const TOKEN = "q9fZ1s3Xo0b4L2mN8pR7tV6wY5zA_-cDeFgHiJkLmNo";

Deno.test("isAuthorized: no token required lets every request through", () => {
  assert.equal(isAuthorized(undefined, null), true);
  assert.equal(isAuthorized("", "Bearer anything"), true);
});

Deno.test("isAuthorized: only Bearer with exactly the token", () => {
  assert.equal(isAuthorized(TOKEN, `Bearer ${TOKEN}`), true);
  assert.equal(isAuthorized(TOKEN, `bearer ${TOKEN}  `), true);
  for (
    const header of [
      null,
      "",
      "Bearer",
      "Bearer ",
      TOKEN,
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}O`,
      `Bearer ${TOKEN} extra`,
    ]
  ) {
    assert.equal(isAuthorized(TOKEN, header), false, `accepted ${JSON.stringify(header)}`);
  }
});
