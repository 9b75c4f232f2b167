import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { hashContent } from "./hash_content.ts";

Deno.test("hashContent is SHA-256 of the UTF-8 bytes, in lowercase hex", () => {
  assert.equal(hashContent(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(
    hashContent("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(hashContent("é"), hashContent("\u00e9"));
  assert.notEqual(hashContent("é"), hashContent("e\u0301"), "no Unicode normalisation");
});

Deno.test("property: hashContent equals a fresh SHA-256, call after call", () => {
  const unit = fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
  );
  fc.assert(
    fc.property(fc.array(fc.string({ unit, maxLength: 200 }), { maxLength: 4 }), (texts) => {
      for (const text of texts) {
        const fresh = createHash("sha256").update(text, "utf8").digest("hex");
        assert.equal(hashContent(text), fresh);
        assert.equal(hashContent(text), fresh);
      }
    }),
    { numRuns: 500 },
  );
});
