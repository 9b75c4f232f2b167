import { type ArgumentWord, findSecretArguments } from "./find_secret_arguments.ts";
import { isProbableSecretValue } from "./is_probable_secret_value.ts";
import { SECRET_NAME_HINT } from "./is_secret_name.ts";
import { SECRET_ARGUMENT_HINT } from "./secret_argument_rules.ts";
import { type ShellWord, splitShellCommands, textIndexOf } from "./split_shell_commands.ts";

/** A range of the text that holds a secret, and the `[REDACTED:<kind>]` kind to name it. */
export interface CommandLineSecret {
  start: number;
  end: number;
  kind: string;
}

/**
 * Finds secrets passed as arguments on the command lines in `text`, by the shape of the
 * command line: the text is split into shell words ({@link splitShellCommands}), each command's
 * words go through {@link findSecretArguments} (`docker login -p VALUE`, `mysql -pVALUE`,
 * `--token VALUE`, `config set <secret-name> VALUE`), and what `echo`/`printf` pipe into a
 * program that reads a secret from standard input (`docker login --password-stdin`) counts
 * too. Scripts inside words (`bash -lc "…"`, `ssh host '…'`, `sh -c "…"`) are read the same
 * way, up to {@link MAX_NESTING} levels deep.
 *
 * Each range covers only the secret, inside its quotes (`-p "[REDACTED:secret]"`); a secret
 * written with quotes or escapes inside it is covered together with the rest of its word, so
 * nothing of it is left and the quotes stay balanced.
 *
 * @example
 * ```ts
 * const text = `bash -lc "docker login -u me -p hunter2 ghcr.io"`;
 * const [secret] = findCommandLineSecrets(text);
 * text.slice(secret.start, secret.end); // "hunter2"
 * ```
 */
export function findCommandLineSecrets(text: string): CommandLineSecret[] {
  const found: CommandLineSecret[] = [];
  scan(text, text, (index) => index, 0, found);
  return found;
}

/**
 * Whether {@link findCommandLineSecrets} may find something in `text`: false means certainly
 * not, in `text` nor in any part of it.
 *
 * @example
 * ```ts
 * mayHoldCommandLineSecrets("ls -la && make"); // false
 * mayHoldCommandLineSecrets("mysql -uroot -phunter2"); // true
 * ```
 */
export function mayHoldCommandLineSecrets(text: string): boolean {
  return SECRET_ARGUMENT_HINT.test(text) || SECRET_NAME_HINT.test(text);
}

/** How deep scripts inside words are read (`ssh h "sudo sh -c 'bash -lc …'"` is three). */
export const MAX_NESTING = 4;

/** At most this many leading characters of a word are compared for {@link ArgumentWord.plain}. */
const PLAIN_PREFIX_LIMIT = 128;

/**
 * Scans `source` (the whole text, or the value of a word in it) whose character `i` is
 * `text[toText(i)]` when written plainly.
 */
function scan(
  text: string,
  source: string,
  toText: (index: number) => number,
  depth: number,
  found: CommandLineSecret[],
): void {
  const commands = splitShellCommands(source);
  for (let c = 0; c < commands.length; c++) {
    const command = commands[c];
    const words = command.words;
    const argumentsFound = findSecretArguments(
      words.map((word) => argumentWord(text, word, toText)),
    );
    for (const secret of argumentsFound.secrets) {
      found.push({
        ...range(words[secret.word], secret.start, secret.end, toText),
        kind: secret.kind,
      });
    }
    if (argumentsFound.readsSecretFromStdin) {
      for (const word of command.hereStrings) secretWord(word, toText, found);
      const previous = commands[c - 1];
      if (command.piped && previous !== undefined) echoedSecrets(text, previous, toText, found);
    }
    if (depth + 1 >= MAX_NESTING) continue;
    for (const word of [...words, ...command.hereStrings]) {
      // A script: more than one word, and something a rule could find.
      if (!/\s/.test(word.value) || !mayHoldCommandLineSecrets(word.value)) continue;
      scan(text, word.value, (index) => toText(textIndexOf(word, index)), depth + 1, found);
    }
  }
}

/** The word with how much of its start is written plainly in `text`. */
function argumentWord(
  text: string,
  word: ShellWord,
  toText: (index: number) => number,
): ArgumentWord {
  const value = word.value;
  const limit = Math.min(value.length, PLAIN_PREFIX_LIMIT);
  const start = toText(word.start);
  let plain = 0;
  while (
    plain < limit && text[start + plain] === value[plain] &&
    toText(textIndexOf(word, plain)) === start + plain
  ) plain++;
  return { value, plain };
}

/**
 * The range of `text` holding `word.value.slice(start, end)`: exactly those characters when
 * they are written as they are, else the whole word (so quotes or escapes inside the secret go
 * with it and the quotes left stay balanced).
 */
function range(
  word: ShellWord,
  start: number,
  end: number,
  toText: (index: number) => number,
): { start: number; end: number } {
  const first = toText(textIndexOf(word, start));
  const last = toText(textIndexOf(word, end - 1));
  if (last - first === end - 1 - start) return { start: first, end: last + 1 };
  return { start: toText(word.start), end: toText(word.end - 1) + 1 };
}

/** The whole of a word given as a secret (a here-string), when it is a probable secret. */
function secretWord(
  word: ShellWord,
  toText: (index: number) => number,
  found: CommandLineSecret[],
): void {
  if (word.value === "" || !isProbableSecretValue(word.value, { quoted: true })) return;
  found.push({ ...range(word, 0, word.value.length, toText), kind: "secret" });
}

/**
 * What `echo`/`printf` print into a pipe: every argument but options and a printf format.
 */
function echoedSecrets(
  text: string,
  command: { words: ShellWord[] },
  toText: (index: number) => number,
  found: CommandLineSecret[],
): void {
  // The first echo or printf (`sudo echo …`, `command printf …`).
  let printf = false;
  const at = command.words.findIndex((word) => {
    if (word.value !== "echo" && word.value !== "printf") return false;
    printf = word.value === "printf";
    return argumentWord(text, word, toText).plain === word.value.length;
  });
  if (at === -1) return;
  const rest = command.words.slice(at + 1);
  let first = 0;
  while (first < rest.length && /^-[neE]+$/.test(rest[first].value)) first++;
  if (printf && rest[first]?.value.includes("%") && rest.length > first + 1) first++;
  for (const word of rest.slice(first)) secretWord(word, toText, found);
}
