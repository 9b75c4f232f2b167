import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import fc from "fast-check";
import { fileUrlToPath } from "./file_url_to_path.ts";

Deno.test("fileUrlToPath decodes a file URL's path", () => {
  assert.equal(fileUrlToPath("file:///work/main/main.ts"), "/work/main/main.ts");
  assert.equal(fileUrlToPath("file://localhost/a%20b/%C3%A9%25.ts"), "/a b/é%.ts");
  assert.equal(fileUrlToPath(new URL("file:///x/%3Fq%23h")), "/x/?q#h");
});

Deno.test("fileUrlToPath refuses what fileURLToPath refuses", () => {
  for (
    const url of [
      "https://example.com/a",
      "file://server/share/a",
      "file:///a%2Fb",
      "file:///a%2fb",
    ]
  ) {
    assert.throws(() => fileURLToPath(url), TypeError, `node:url accepts ${url}`);
    assert.throws(() => fileUrlToPath(url), TypeError, url);
  }
  assert.throws(() => fileUrlToPath("file:///a%E9"), URIError);
  assert.throws(
    () => fileUrlToPath("file:///a/%2F"),
    /^TypeError: Cannot read a path from "file:\/\/\/a\/%2F": a file URL's path must not include an encoded \/$/,
  );
});

Deno.test("property: fileUrlToPath equals node:url's fileURLToPath, for any absolute path", () => {
  const segment = fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 })
    .filter((text) => !text.includes("/") && !text.includes("\0") && text !== "." && text !== "..");
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
      const url = pathToFileURL(`/${segments.join("/")}`).href;
      assert.equal(fileUrlToPath(url), fileURLToPath(url));
      // The same path with characters encoded that pathToFileURL leaves as they are.
      const path = url.slice("file://".length);
      const encoded = `file://${
        path.replace(/[a-z]/g, (letter) => `%${letter.charCodeAt(0).toString(16)}`)
      }`;
      assert.equal(fileUrlToPath(encoded), fileURLToPath(encoded));
    }),
    { numRuns: 500 },
  );
});
