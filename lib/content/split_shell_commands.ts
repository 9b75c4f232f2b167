/** One word of a command line after quote removal, and where its characters came from. */
export interface ShellWord {
  /** The word as the program receives it: quotes removed, escapes applied. */
  value: string;
  /** Where the word starts in the text (an opening quote included). */
  start: number;
  /** Where the word ends in the text (a closing quote included). */
  end: number;
  /**
   * Pairs `[valueIndex, textIndex, …]`: from each `valueIndex` on, the value's characters come
   * from consecutive characters of the text starting at `textIndex`, up to the next pair. A
   * quote or an escape between two characters starts a new pair. Read with {@link textIndexOf}.
   */
  pieces: number[];
}

/** One simple command: its words, how it is joined to the one before, its here-strings. */
export interface ShellCommand {
  words: ShellWord[];
  /** It reads the previous command's output (`a | b`, `a |& b`). */
  piped: boolean;
  /** What it is given as standard input by here-strings (`cmd <<< word`). */
  hereStrings: ShellWord[];
}

/**
 * Splits text into shell commands and words the way a POSIX shell (bash) would, closely enough
 * to find arguments: `'…'`, `"…"` (with `\"`, `\\`, `\$`, `` \` `` and line continuations),
 * `$'…'`, backslash escapes, comments, and commands separated by newlines, `;`, `&`, `&&`,
 * `||`, `|`, parentheses, backquotes and `$(`. Redirection targets are left out of the words
 * (`2>&1`, `> out.txt`, `< in.txt`), except here-strings, which are the command's input.
 *
 * Nothing is expanded or run: `$VAR` stays as it is. Nested scripts (`bash -lc "…"`) are one
 * word here; split that word's value again to read them. An unterminated quote runs to the end
 * of the text. The cost is linear in the length of the text.
 *
 * @example
 * ```ts
 * const [login, tee] = splitShellCommands(`docker login -p "s3cr t" r | tee log`);
 * login.words.map((word) => word.value); // ["docker", "login", "-p", "s3cr t", "r"]
 * tee.piped; // true
 * ```
 */
export function splitShellCommands(text: string): ShellCommand[] {
  return new Splitter(text).split();
}

/**
 * The index in the text of the word's character at `valueIndex`.
 *
 * @example
 * ```ts
 * const [command] = splitShellCommands(`login -p 'pw'`);
 * textIndexOf(command.words[2], 0); // 10, the `p` of `pw`
 * ```
 */
export function textIndexOf(word: ShellWord, valueIndex: number): number {
  const pieces = word.pieces;
  let low = 0;
  let high = pieces.length / 2 - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (pieces[middle * 2] <= valueIndex) low = middle;
    else high = middle - 1;
  }
  return pieces[low * 2 + 1] + (valueIndex - pieces[low * 2]);
}

/** Characters with no special meaning outside quotes (`#` only starts a comment at a word's start). */
const ORDINARY = /[^\s;&|()<>`'"\\$]+/y;
/** Where a double-quoted string may end or hold an escape. */
const DOUBLE_QUOTED_STOP = /["\\]/g;
/** Where an ANSI-C quoted string (`$'…'`) may end or hold an escape. */
const ANSI_QUOTED_STOP = /['\\]/g;

class Splitter {
  private readonly commands: ShellCommand[] = [];
  private command: ShellCommand = { words: [], piped: false, hereStrings: [] };
  /** The word being read: its parts, pieces and where it started. */
  private parts: string[] = [];
  private pieces: number[] = [];
  private length = 0;
  private wordStart = -1;
  /** Where the last appended character ended in the text. */
  private lastEnd = -1;
  /** What the next word is: an argument, a redirection target, or a here-string. */
  private next: "argument" | "target" | "here-string" = "argument";

  constructor(private readonly text: string) {}

  split(): ShellCommand[] {
    const text = this.text;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text[i];
      switch (c) {
        case " ":
        case "\t":
        case "\r":
        case "\f":
        case "\v":
          this.endWord(i);
          i++;
          continue;
        case "\n":
        case ";":
        case "(":
        case ")":
        case "`":
          this.endCommand(i, false);
          i++;
          continue;
        case "&":
          if (text[i + 1] === ">") { // &> and &>> redirect both outputs
            this.redirect(i, "target");
            i += text[i + 2] === ">" ? 3 : 2;
          } else {
            this.endCommand(i, false);
            i += text[i + 1] === "&" ? 2 : 1;
          }
          continue;
        case "|":
          this.endCommand(i, text[i + 1] !== "|");
          i += text[i + 1] === "|" || text[i + 1] === "&" ? 2 : 1;
          continue;
        case "<":
        case ">":
          i = this.readRedirection(i);
          continue;
        case "\\":
          if (text[i + 1] === "\n") i += 2; // a line continuation
          else if (text[i + 1] === "\r" && text[i + 2] === "\n") i += 3;
          else {
            this.startWord(i);
            this.append(i + 1, Math.min(i + 2, n));
            if (i + 1 >= n) this.append(i, i + 1); // a lone backslash at the end stays
            i += 2;
          }
          continue;
        case "'": {
          this.startWord(i);
          let close = text.indexOf("'", i + 1);
          if (close === -1) close = n;
          this.append(i + 1, close);
          i = close + 1;
          continue;
        }
        case '"':
          this.startWord(i);
          i = this.readEscaped(i + 1, DOUBLE_QUOTED_STOP, '"', '$`"\\\n');
          continue;
        case "$":
          if (text[i + 1] === "(") {
            this.endCommand(i, false);
            i += 2;
          } else if (text[i + 1] === "'") {
            this.startWord(i);
            i = this.readEscaped(i + 2, ANSI_QUOTED_STOP, "'", undefined);
          } else {
            this.startWord(i);
            this.append(i, i + 1);
            i++;
          }
          continue;
        case "#":
          if (this.wordStart === -1) {
            const lineEnd = text.indexOf("\n", i);
            i = lineEnd === -1 ? n : lineEnd;
            continue;
          }
      }
      ORDINARY.lastIndex = i;
      const run = ORDINARY.exec(text);
      const end = run === null ? i + 1 : i + run[0].length;
      this.startWord(i);
      this.append(i, end);
      i = end;
    }
    this.endCommand(n, false);
    return this.commands;
  }

  /**
   * Reads a quoted string from `from` to its closing `quote`. A backslash escapes the next
   * character when it is one of `escapable` (any character when undefined, as in `$'…'`), and
   * drops it with a newline (a line continuation). Returns where reading resumes.
   */
  private readEscaped(
    from: number,
    stops: RegExp,
    quote: string,
    escapable: string | undefined,
  ): number {
    const text = this.text;
    let segment = from;
    stops.lastIndex = from;
    for (let stop = stops.exec(text); stop; stop = stops.exec(text)) {
      const at = stop.index;
      if (text[at] === quote) {
        this.append(segment, at);
        return at + 1;
      }
      const escaped = text[at + 1];
      if (escaped === undefined) break;
      if (escaped === "\n") {
        this.append(segment, at);
        segment = at + 2;
      } else if (escapable === undefined || escapable.includes(escaped)) {
        this.append(segment, at);
        this.append(at + 1, at + 2);
        segment = at + 2;
      }
      stops.lastIndex = at + 2;
    }
    this.append(segment, text.length);
    return text.length;
  }

  /** Reads `<`, `<<`, `<<<`, `>`, `>>`, `>&`, `<&`, `>|` and `<>`; the next word is their target. */
  private readRedirection(i: number): number {
    const text = this.text;
    // `2>&1`: a file descriptor number glued to the operator is not an argument.
    if (this.wordStart !== -1 && /^\d+$/.test(this.parts.join("")) && this.lastEnd === i) {
      this.discardWord();
    }
    if (text.startsWith("<<<", i)) {
      this.redirect(i, "here-string");
      return i + 3;
    }
    let end = i + 1;
    while (end < text.length && end < i + 3 && "<>&|-".includes(text[end])) end++;
    this.redirect(i, "target");
    return end;
  }

  private redirect(at: number, next: "target" | "here-string"): void {
    this.endWord(at);
    this.next = next;
  }

  private startWord(at: number): void {
    if (this.wordStart === -1) this.wordStart = at;
  }

  /** Appends `text[from, to)` to the current word's value. */
  private append(from: number, to: number): void {
    if (to <= from) return;
    if (this.lastEnd !== from || this.pieces.length === 0) this.pieces.push(this.length, from);
    this.parts.push(this.text.slice(from, to));
    this.length += to - from;
    this.lastEnd = to;
  }

  private endWord(at: number): void {
    if (this.wordStart === -1) return;
    const word: ShellWord = {
      value: this.parts.join(""),
      start: this.wordStart,
      end: at,
      pieces: this.pieces.length === 0 ? [0, this.wordStart] : this.pieces,
    };
    if (this.next === "argument") this.command.words.push(word);
    else if (this.next === "here-string") this.command.hereStrings.push(word);
    this.next = "argument";
    this.discardWord();
  }

  private discardWord(): void {
    this.parts = [];
    this.pieces = [];
    this.length = 0;
    this.wordStart = -1;
    this.lastEnd = -1;
  }

  private endCommand(at: number, pipedNext: boolean): void {
    this.endWord(at);
    this.next = "argument";
    const command = this.command;
    if (command.words.length > 0 || command.hereStrings.length > 0) this.commands.push(command);
    this.command = { words: [], piped: pipedNext, hereStrings: [] };
  }
}
