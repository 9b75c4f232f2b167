/**
 * A small reader of systemd unit syntax, written from systemd.syntax(7) and systemd.service(5)
 * (and systemd's extract_first_word with EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), used to prove that
 * what Beacon writes reads back as the values it was given. Not a general unit parser.
 */

/** `[Section]` -> list of [key, value] in order. */
export function readUnitFile(text: string): Map<string, [string, string][]> {
  const sections = new Map<string, [string, string][]>();
  let current: [string, string][] | undefined;
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1], current);
      continue;
    }
    if (line.endsWith("\\")) throw new Error(`line continuation in ${JSON.stringify(line)}`);
    const at = line.indexOf("=");
    if (!current || at < 0) throw new Error(`stray line ${JSON.stringify(line)}`);
    current.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return sections;
}

/** Expands `%%` and refuses any other specifier. */
export function expandSpecifiers(text: string): string {
  return text.replace(/%(.)/gs, (_, char) => {
    if (char !== "%") throw new Error(`unexpected specifier %${char}`);
    return "%";
  });
}

/** Splits a value into words the way systemd does, unquoting and C-unescaping. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[ \t\n]/.test(text[i])) i++;
    if (i >= text.length) break;
    let word = "";
    let quote: string | undefined;
    for (; i < text.length; i++) {
      const char = text[i];
      if (char === "\\") {
        const [value, length] = unescapeOne(text, i + 1);
        word += value;
        i += length;
      } else if (quote) {
        if (char === quote) quote = undefined;
        else word += char;
      } else if (char === '"' || char === "'") {
        quote = char;
      } else if (/[ \t\n]/.test(char)) {
        break;
      } else {
        word += char;
      }
    }
    if (quote) throw new Error(`unbalanced quoting in ${JSON.stringify(text)}`);
    words.push(word);
  }
  return words;
}

function unescapeOne(text: string, at: number): [string, number] {
  const char = text[at];
  const simple: Record<string, string> = {
    a: "\x07",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
    v: "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    s: " ",
  };
  if (char in simple) return [simple[char], 1];
  if (char === "x") {
    const hex = text.slice(at + 1, at + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex) || hex === "00") throw new Error(`bad escape \\x${hex}`);
    return [String.fromCharCode(parseInt(hex, 16)), 3];
  }
  throw new Error(`unknown escape \\${char}`);
}

/** A command line (`ExecStart=`) as systemd runs it: argv with `$$` turned into `$`. */
export function readCommandLine(value: string): string[] {
  return splitWords(expandSpecifiers(value)).map((word) => {
    if (word.replaceAll("$$", "").includes("$")) {
      throw new Error(`unescaped variable in ${JSON.stringify(word)}`);
    }
    return word.replaceAll("$$", "$");
  });
}

/** An `Environment=` value as systemd reads it: name -> value. */
export function readEnvironment(value: string): [string, string][] {
  return splitWords(value).map((word) => {
    const assignment = expandSpecifiers(word);
    const at = assignment.indexOf("=");
    return [assignment.slice(0, at), assignment.slice(at + 1)];
  });
}
