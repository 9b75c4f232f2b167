import assert from "node:assert/strict";
import { contentOrWithheld } from "./content_or_withheld.ts";

const options = { maxFieldBytes: 4096, placeholder: "<REDACTED>" };

Deno.test("a text the harness withheld is neither hashed nor counted", () => {
  for (const text of ["<REDACTED>", undefined]) {
    assert.deepEqual(contentOrWithheld(text, "hash", options), {
      field: { mode: "hash", bytes: 0 },
      withheld: true,
    }, String(text));
  }
});

Deno.test("a text the harness sent goes through the policy's rule, an empty one too", () => {
  const kept = contentOrWithheld("ls -la", "keep", options);
  assert.deepEqual(kept, { field: { mode: "keep", bytes: 6, text: "ls -la" }, withheld: false });
  const hashed = contentOrWithheld("ls -la", "hash", options);
  assert.equal(hashed.withheld, false);
  assert.equal(hashed.field.bytes, 6);
  assert.match(hashed.field.sha256 ?? "", /^[0-9a-f]{64}$/);
  assert.deepEqual(contentOrWithheld("", "keep", options), {
    field: { mode: "keep", bytes: 0, text: "" },
    withheld: false,
  });
});

Deno.test("without a placeholder, only a missing text is withheld", () => {
  const literal = contentOrWithheld("<REDACTED>", "keep", { maxFieldBytes: 4096 });
  assert.deepEqual(literal.field, { mode: "keep", bytes: 10, text: "<REDACTED>" });
  assert.equal(literal.withheld, false);
  assert.equal(contentOrWithheld(undefined, "keep", { maxFieldBytes: 4096 }).withheld, true);
});
