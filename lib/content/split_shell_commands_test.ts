import assert from "node:assert/strict";
import fc from "fast-check";
import { splitShellCommands, textIndexOf } from "./split_shell_commands.ts";

/** The commands' word values; `|` before a piped command, `<<<` before here-strings. */
function shape(text: string): string[][] {
  return splitShellCommands(text).map((command) => [
    ...(command.piped ? ["|"] : []),
    ...command.words.map((word) => word.value),
    ...command.hereStrings.flatMap((word) => ["<<<", word.value]),
  ]);
}

Deno.test("splitShellCommands reads words and commands as bash does", () => {
  const cases: [string, string[][]][] = [
    ["ls -la", [["ls", "-la"]]],
    [`echo 'a b' "c \\"d\\" \\$e \\x" f\\ g`, [["echo", "a b", 'c "d" $e \\x', "f g"]]],
    ["a && b || c; d & e", [["a"], ["b"], ["c"], ["d"], ["e"]]],
    ["a | b |& c", [["a"], ["|", "b"], ["|", "c"]]],
    ["x=$(whoami) y `id`", [["x="], ["whoami"], ["y"], ["id"]]],
    ["(cd dir && make)", [["cd", "dir"], ["make"]]],
    ["make 2>&1 > out.txt < in.txt", [["make"]]],
    ["cmd &> log; cmd2 >> log", [["cmd"], ["cmd2"]]],
    ["login --password-stdin <<< 'x y'", [["login", "--password-stdin", "<<<", "x y"]]],
    ["a \\\n  b", [["a", "b"]]],
    ["echo a # b c\nd", [["echo", "a"], ["d"]]],
    ["echo a#b", [["echo", "a#b"]]],
    ["echo $'a\\'b' $HOME ${X}", [["echo", "a'b", "$HOME", "${X}"]]],
    ["echo 'unterminated and more", [["echo", "unterminated and more"]]],
    ['bash -lc "docker login -p x"', [["bash", "-lc", "docker login -p x"]]],
    ["echo ''", [["echo", ""]]],
  ];
  for (const [text, expected] of cases) assert.deepEqual(shape(text), expected, text);
});

Deno.test("splitShellCommands maps every character of a word back to the text", () => {
  const [command] = splitShellCommands(`login -p 'pw' a"b\\"c"d`);
  const [, , quoted, mixed] = command.words;
  assert.equal(textIndexOf(quoted, 0), 10);
  assert.equal(mixed.value, 'ab"cd');
  const text = `login -p 'pw' a"b\\"c"d`;
  for (let i = 0; i < mixed.value.length; i++) {
    assert.equal(text[textIndexOf(mixed, i)], mixed.value[i]);
  }
  assert.equal(text.slice(mixed.start, mixed.end), 'a"b\\"c"d');
});

Deno.test("property: each word character comes from the text, inside the word", () => {
  const piece = fc.oneof(
    fc.constantFrom(" ", "'", '"', "\\", "\\\n", "$'", "$(", "|", "&&", ";", "\n", "<<<", ">", "#"),
    fc.string({ maxLength: 6 }),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 20 }).map((parts) => parts.join("")), (text) => {
      for (const command of splitShellCommands(text)) {
        for (const word of [...command.words, ...command.hereStrings]) {
          for (let i = 0; i < word.value.length; i++) {
            const at = textIndexOf(word, i);
            assert.ok(at >= word.start && at < word.end, JSON.stringify({ text, word }));
            // An escape sequence in $'…' gives the escaped character itself.
            assert.equal(text[at], word.value[i], JSON.stringify({ text, word, i }));
          }
        }
      }
    }),
    { numRuns: 3000 },
  );
});
