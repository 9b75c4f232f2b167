import assert from "node:assert/strict";
import { ciResourceAttributes, percentEncode } from "./ci_resource_attributes.ts";

Deno.test("ciResourceAttributes appends the run context to an existing value", () => {
  assert.equal(
    ciResourceAttributes({ provider: "github-actions", repository: "acme/app" }, "team=ml"),
    "team=ml,beacon.ci.provider=github-actions,beacon.ci.repository=acme/app",
  );
});

Deno.test("ciResourceAttributes replaces earlier beacon.ci pairs and keeps the others", () => {
  const first = ciResourceAttributes({ provider: "local", job: "a" }, "x=1");
  assert.equal(
    ciResourceAttributes({ provider: "local", job: "b" }, first),
    "x=1,beacon.ci.provider=local,beacon.ci.job=b",
  );
});

Deno.test("percentEncode: separators, spaces, newlines, percent and non-ASCII cannot break the list", () => {
  assert.equal(percentEncode('a b,c;d=e%f"g\\h\ni'), "a%20b%2Cc%3Bd%3De%25f%22g%5Ch%0Ai");
  assert.equal(percentEncode("refs/heads/feature:x"), "refs/heads/feature:x");
  assert.equal(percentEncode("é"), "%C3%A9");
  const value = ciResourceAttributes({ provider: "local", workflow: "CI, nightly\nx=1" });
  assert.equal(value.split(",").length, 2);
  assert.ok(!value.includes("\n"));
  assert.equal(decodeURIComponent(value.split(",")[1].split("=")[1]), "CI, nightly\nx=1");
});
