import assert from "node:assert/strict";
import fc from "fast-check";
import { countLines, takeCompleteLines } from "./take_complete_lines.ts";

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("takeCompleteLines: whole lines only; a line still being written is left", () => {
  assert.deepEqual(takeCompleteLines(encode('{"a":1}\n{"b"'), 10, 1024), {
    lines: ['{"a":1}'],
    bytes: 8,
  });
  assert.deepEqual(takeCompleteLines(encode('{"b"'), 10, 1024), { lines: [], bytes: 0 });
  assert.deepEqual(takeCompleteLines(encode("a\n\n b \nc\n"), 10, 1024), {
    lines: ["a", "b", "c"],
    bytes: 9,
  });
});

Deno.test("takeCompleteLines: at most maxLines and maxBytes, but the first line however long", () => {
  const chunk = encode("aaaa\nbbbb\ncccc\n");
  assert.deepEqual(takeCompleteLines(chunk, 2, 1024), { lines: ["aaaa", "bbbb"], bytes: 10 });
  assert.deepEqual(takeCompleteLines(chunk, 10, 10), { lines: ["aaaa", "bbbb"], bytes: 10 });
  assert.deepEqual(takeCompleteLines(chunk, 10, 9), { lines: ["aaaa"], bytes: 5 });
  assert.deepEqual(takeCompleteLines(chunk, 10, 2), { lines: ["aaaa"], bytes: 5 });
});

Deno.test("takeCompleteLines: a multi-byte character is never split, and bytes count bytes", () => {
  const chunk = encode("é€😀\nx\n");
  assert.deepEqual(takeCompleteLines(chunk, 10, 1024), { lines: ["é€😀", "x"], bytes: 12 });
});

const line = fc.string({ maxLength: 30 }).map((s) => s.replaceAll("\n", " "));

Deno.test("takeCompleteLines: taking batch after batch gives back every line once, in order", () => {
  fc.assert(
    fc.property(
      fc.array(line, { maxLength: 40 }),
      fc.string({ maxLength: 10 }).map((s) => s.replaceAll("\n", "")),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 200 }),
      (lines, partial, maxLines, maxBytes) => {
        const all = encode(lines.map((l) => l + "\n").join("") + partial);
        const got: string[] = [];
        let at = 0;
        for (let rounds = 0; rounds <= lines.length + 1; rounds++) {
          const taken = takeCompleteLines(all.subarray(at), maxLines, maxBytes);
          assert.ok(taken.lines.length <= maxLines);
          if (taken.lines.length > 1) assert.ok(taken.bytes <= maxBytes, "within maxBytes");
          if (taken.bytes > 0) assert.equal(all[at + taken.bytes - 1], 0x0a, "ends at a line end");
          got.push(...taken.lines);
          at += taken.bytes;
          if (taken.bytes === 0) break;
        }
        assert.deepEqual(got, lines.map((l) => l.trim()).filter((l) => l !== ""));
        assert.equal(all.length - at, encode(partial).length, "only the unfinished line is left");
      },
    ),
  );
});

Deno.test("countLines: counts line ends, whatever they hold", () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 50 }), fc.string({ maxLength: 5 }), (lines, tail) => {
      const text = lines.map((l) => l + "\n").join("") + tail.replaceAll("\n", "");
      assert.equal(countLines(encode(text)), lines.length);
    }),
  );
  assert.equal(countLines(new Uint8Array()), 0);
});
