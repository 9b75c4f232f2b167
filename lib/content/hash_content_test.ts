import assert from "node:assert/strict";
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
