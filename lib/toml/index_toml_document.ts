import { type AST, parseTOML } from "toml-eslint-parser";

/** A `key = value` pair, with the full path of the key from the document root. */
export interface TomlEntry {
  path: string[];
  node: AST.TOMLKeyValue;
  /** True when the pair sits inside an inline table (`{ ... }`). */
  inInline: boolean;
  /** The header table the pair is written under (null: before the first header). */
  section: TomlSection | null;
}

/** A `[table]` or `[[array]]` header with the pairs written under it. */
export interface TomlSection {
  path: string[];
  kind: "standard" | "array";
  node: AST.TOMLTable;
}

/** Where every key and table of a TOML document is written, in document order. */
export interface TomlDocumentIndex {
  entries: TomlEntry[];
  sections: TomlSection[];
}

/**
 * Indexes the concrete syntax of a TOML document so that edits can touch exactly the bytes of
 * one value. The text must already be known to be valid TOML (see `parseToml`).
 */
export function indexTomlDocument(text: string): TomlDocumentIndex {
  const program = parseTOML(text);
  const entries: TomlEntry[] = [];
  const sections: TomlSection[] = [];
  // Pairs in document order, each followed by the pairs of its inline table (without recursion:
  // the nesting is the document's).
  const visitPairs = (
    pairs: AST.TOMLKeyValue[],
    base: string[],
    inInline: boolean,
    section: TomlSection | null,
  ) => {
    const pending = [{ pairs, base, inInline, next: 0 }];
    while (pending.length) {
      const frame = pending.at(-1)!;
      if (frame.next === frame.pairs.length) {
        pending.pop();
        continue;
      }
      const node = frame.pairs[frame.next++];
      const path = [...frame.base, ...node.key.keys.map(keyName)];
      entries.push({ path, node, inInline: frame.inInline, section });
      if (node.value.type === "TOMLInlineTable") {
        pending.push({ pairs: node.value.body, base: path, inInline: true, next: 0 });
      }
    }
  };
  for (const item of program.body[0].body) {
    if (item.type === "TOMLKeyValue") {
      visitPairs([item], [], false, null);
      continue;
    }
    const section: TomlSection = {
      path: item.resolvedKey.map(String),
      kind: item.kind,
      node: item,
    };
    sections.push(section);
    // Pairs under `[[a]]` belong to an array element: their paths cannot be addressed by key.
    visitPairs(
      item.body,
      item.kind === "array" ? [...section.path, "[]"] : section.path,
      false,
      section,
    );
  }
  return { entries, sections };
}

function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === "TOMLBare" ? key.name : key.value;
}

/** True when `path` starts with every element of `prefix`. */
export function pathStartsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => path[i] === key);
}

/** True when both paths are the same. */
export function pathEquals(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && pathStartsWith(a, b);
}
