/**
 * Byte-preserving edits of a TOML document: values are replaced where they are written, in the
 * form they are written in (a plain `key = value`, a dotted key, an inline table or a
 * `[sub.table]`), and every byte that does not belong to an edited value stays as it was:
 * comments, blank lines, key order, quoting, CRLF line ends and a leading BOM.
 *
 * Each edit is a sequence of small splices, and the document is parsed again after each one, so
 * no splice works from stale offsets. The result is checked before it is returned: the edited
 * values read back as asked and every other value is unchanged, or {@link TomlEditError} is
 * thrown and the caller writes nothing.
 *
 * @module
 */
import { parseToml } from "./parse_toml.ts";
import { getTomlValue } from "./get_toml_value.ts";
import { tomlValuesEqual } from "./toml_values_equal.ts";
import { formatTomlDottedKey, formatTomlKey, formatTomlValue } from "./format_toml_value.ts";
import {
  indexTomlDocument,
  pathEquals,
  pathStartsWith,
  type TomlDocumentIndex,
  type TomlEntry,
  type TomlSection,
} from "./index_toml_document.ts";
import { isTomlTable, type TomlTable, type TomlValue } from "./toml_value.ts";

/** Set the value at `path`, or remove it when `value` is undefined. */
export interface TomlEdit {
  path: string[];
  value: TomlValue | undefined;
}

/** An edit Beacon cannot make without touching bytes it does not own. Nothing is written. */
export class TomlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TomlEditError";
  }
}

/**
 * Applies `edits` in order to a valid TOML document and returns the new text.
 *
 * @example
 * ```ts
 * editToml('model = "o3"\r\n[otel]\r\nenvironment = "dev" # ours\r\n', [
 *   { path: ["otel", "environment"], value: "prod" },
 * ]); // 'model = "o3"\r\n[otel]\r\nenvironment = "prod" # ours\r\n'
 * ```
 */
export function editToml(text: string, edits: readonly TomlEdit[]): string {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const document = new EditableDocument(bom ? text.slice(1) : text);
  const before = document.value();
  for (const edit of edits) {
    if (edit.value === undefined) document.remove(edit.path);
    else document.set(edit.path, edit.value);
  }
  checkEdits(before, document.value(), edits);
  return bom + document.text;
}

class EditableDocument {
  readonly eol: string;
  #value?: TomlTable;
  #index?: TomlDocumentIndex;

  constructor(public text: string) {
    this.eol = /\r\n/.test(text.match(/[^\n]*\n/)?.[0] ?? "") ? "\r\n" : "\n";
    this.value();
  }

  value(): TomlTable {
    if (this.#value) return this.#value;
    const parsed = parseToml(this.text);
    if (!parsed.ok) {
      const { line, column, message, limit } = parsed.error;
      // Beacon never writes what it would refuse to read back.
      if (limit) throw new TomlEditError(`with Beacon's settings added, it ${limit.detail}`);
      throw new TomlEditError(
        `the edited document is not valid TOML (${line}:${column}: ${message})`,
      );
    }
    this.#value = parsed.value;
    return this.#value;
  }

  /** The value and where each part of it is written. The layout is read only when needed. */
  #parsed(): { value: TomlTable; index: TomlDocumentIndex } {
    const value = this.value();
    if (!this.#index) {
      try {
        this.#index = indexTomlDocument(this.text);
      } catch (error) {
        throw new TomlEditError(`cannot read the document's layout: ${(error as Error).message}`);
      }
    }
    return { value, index: this.#index };
  }

  #splice(start: number, end: number, insert: string): void {
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    this.#value = undefined;
    this.#index = undefined;
  }

  set(path: string[], value: TomlValue): void {
    const found = getTomlValue(this.value(), path);
    if (tomlValuesEqual(found, value)) return;
    const { index } = this.#parsed();
    const exact = index.entries.find((entry) => pathEquals(entry.path, path));
    if (exact) {
      // Written as `key = value` (possibly inside an inline table): replace just the value.
      const [start, end] = exact.node.value.range;
      this.#splice(start, end, formatTomlValue(value));
      return;
    }
    if (found !== undefined) {
      if (isTomlTable(found) && isTomlTable(value)) {
        // A table written with headers or dotted keys: edit its keys where they are.
        for (const key of Object.keys(found)) {
          if (!Object.hasOwn(value, key)) this.#removeOne([...path, key]);
        }
        for (const [key, item] of Object.entries(value)) this.set([...path, key], item);
        return;
      }
      this.#removeOne(path);
    }
    this.#insert(path, value);
  }

  /** Removes the value at `path`, and tables below the top level it leaves empty. */
  remove(path: string[]): void {
    this.#removeOne(path);
    for (let depth = path.length - 1; depth >= 2; depth--) {
      const parent = getTomlValue(this.value(), path.slice(0, depth));
      if (!isTomlTable(parent) || Object.keys(parent).length) break;
      this.#removeOne(path.slice(0, depth));
    }
  }

  #removeOne(path: string[]): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const { value: doc, index } = this.#parsed();
      if (getTomlValue(doc, path) === undefined) return;
      const exact = index.entries.find((entry) => pathEquals(entry.path, path));
      if (exact && !exact.inInline) {
        this.#removeLines(exact.node.range[0], exact.node.range[1]);
        continue;
      }
      const section = index.sections.find((s) => pathStartsWith(s.path, path));
      if (section) {
        this.#removeSection(section);
        continue;
      }
      const dotted = index.entries.find((entry) =>
        !entry.inInline && pathStartsWith(entry.path, path)
      );
      if (dotted) {
        this.#removeLines(dotted.node.range[0], dotted.node.range[1]);
        continue;
      }
      const inline = innermostInline(index, path, false);
      if (!inline) break;
      const rest = path.slice(inline.path.length);
      const table = getTomlValue(doc, inline.path) as TomlTable;
      this.#replaceValue(inline, withoutPath(table, rest));
    }
    throw new TomlEditError(`cannot find where "${path.join(".")}" is written`);
  }

  #insert(path: string[], value: TomlValue): void {
    const { value: doc, index } = this.#parsed();
    let depth = 0;
    while (depth < path.length - 1) {
      const prefix = path.slice(0, depth + 1);
      const existing = getTomlValue(doc, prefix);
      if (existing === undefined) break;
      if (!isTomlTable(existing)) {
        if (Array.isArray(existing)) {
          throw new TomlEditError(
            `"${prefix.join(".")}" is an array; Beacon will not edit inside it`,
          );
        }
        // A scalar where a table belongs (invalid for Codex anyway): it is replaced.
        this.#removeOne(prefix);
        return this.#insert(path, value);
      }
      depth++;
    }
    const ancestor = path.slice(0, depth);
    const key = path[depth];
    const nested = nest(path.slice(depth + 1), value);

    const inline = innermostInline(index, ancestor, true);
    if (inline) {
      const table = getTomlValue(doc, inline.path) as TomlTable;
      this.#replaceValue(
        inline,
        withPath(table, [...ancestor.slice(inline.path.length), key], nested),
      );
      return;
    }
    const line = `${formatTomlKey(key)} = ${formatTomlValue(nested)}`;
    const header = index.sections.find((s) =>
      s.kind === "standard" && pathEquals(s.path, ancestor)
    );
    if (header && ancestor.length > 0) {
      const last = header.node.body.at(-1);
      this.#insertLineAfter(last?.range[1] ?? header.node.key.range[1], line, last);
      return;
    }
    if (index.sections.some((s) => s.kind === "array" && pathStartsWith(ancestor, s.path))) {
      throw new TomlEditError(`"${ancestor.join(".")}" is inside an array of tables`);
    }
    const dotted = index.entries.filter((entry) => {
      const base = entry.section?.path ?? [];
      return !entry.inInline && base.length < ancestor.length &&
        pathStartsWith(entry.path, ancestor) && entry.path.length > ancestor.length;
    }).at(-1);
    if (dotted) {
      const base = dotted.section?.path ?? [];
      const dottedLine = `${formatTomlDottedKey([...ancestor.slice(base.length), key])} = ${
        formatTomlValue(nested)
      }`;
      this.#insertLineAfter(dotted.node.range[1], dottedLine, dotted.node);
      return;
    }
    if (ancestor.length === 0) {
      if (path.length === 1) {
        const lastRoot = index.entries.filter((entry) => !entry.section && !entry.inInline).at(-1);
        if (lastRoot) this.#insertLineAfter(lastRoot.node.range[1], line, lastRoot.node);
        else this.#splice(0, 0, line + this.eol);
        return;
      }
      const innerLine = `${formatTomlKey(path[1])} = ${
        formatTomlValue(nest(path.slice(2), value))
      }`;
      this.#appendSection([key], innerLine, this.text.length);
      return;
    }
    // The ancestor exists only through deeper headers (`[otel.exporter.otlp-http]`): give it
    // its own header right after them.
    const lastUnder = index.sections.filter((s) => pathStartsWith(s.path, ancestor)).at(-1)!;
    this.#appendSection(ancestor, line, lineEnd(this.text, sectionEnd(lastUnder)));
  }

  #replaceValue(entry: TomlEntry, value: TomlValue): void {
    const [start, end] = entry.node.value.range;
    this.#splice(start, end, formatTomlValue(value));
  }

  #insertLineAfter(offset: number, line: string, indentFrom?: { range: [number, number] }): void {
    const indent = indentFrom ? indentOf(this.text, indentFrom.range[0]) : "";
    const at = lineEnd(this.text, offset);
    if (at === this.text.length && !this.text.endsWith("\n")) {
      this.#splice(at, at, this.eol + indent + line);
    } else {
      this.#splice(at, at, indent + line + this.eol);
    }
  }

  #appendSection(path: string[], line: string, at: number): void {
    const eol = this.eol;
    let prefix = "";
    if (at === this.text.length) {
      if (this.text.length && !this.text.endsWith("\n")) prefix = eol;
      if (this.text.trim().length) prefix += eol;
    } else {
      prefix = eol;
    }
    this.#splice(at, at, `${prefix}[${formatTomlDottedKey(path)}]${eol}${line}${eol}`);
  }

  #removeSection(section: TomlSection): void {
    const start = lineStart(this.text, section.node.range[0]);
    let end = lineEnd(this.text, sectionEnd(section));
    // Keep the spacing tidy: no blank line left where the section was, if one already
    // separates what came before.
    const blankBefore = start === 0 || isBlankLine(this.text, lineStart(this.text, start - 1));
    if (blankBefore && end < this.text.length && isBlankLine(this.text, end)) {
      end = lineEnd(this.text, end);
    }
    this.#splice(start, end, "");
  }

  #removeLines(from: number, to: number): void {
    this.#splice(lineStart(this.text, from), lineEnd(this.text, to), "");
  }
}

/** The entry with an inline-table value that contains `path` (or is it, when `orEqual`). */
function innermostInline(
  index: TomlDocumentIndex,
  path: readonly string[],
  orEqual: boolean,
): TomlEntry | undefined {
  return index.entries
    .filter((entry) =>
      entry.node.value.type === "TOMLInlineTable" && pathStartsWith(path, entry.path) &&
      (orEqual || entry.path.length < path.length)
    )
    .sort((a, b) => b.path.length - a.path.length)[0];
}

function sectionEnd(section: TomlSection): number {
  return section.node.body.at(-1)?.range[1] ?? section.node.key.range[1];
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** The offset just after the newline ending the line that holds `offset` (or the text's end). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline === -1 ? text.length : newline + 1;
}

function isBlankLine(text: string, start: number): boolean {
  return /^[ \t]*\r?(\n|$)/.test(text.slice(start, lineEnd(text, start)));
}

function indentOf(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function nest(path: readonly string[], value: TomlValue): TomlValue {
  return path.reduceRight<TomlValue>((inner, key) => ({ [key]: inner }), value);
}

function withPath(table: TomlTable, path: readonly string[], value: TomlValue): TomlTable {
  const [key, ...rest] = path;
  const copy: TomlTable = { ...table };
  const inner = copy[key];
  copy[key] = rest.length ? withPath(isTomlTable(inner) ? inner : {}, rest, value) : value;
  return copy;
}

function withoutPath(table: TomlTable, path: readonly string[]): TomlTable {
  const [key, ...rest] = path;
  const copy: TomlTable = { ...table };
  if (!rest.length) delete copy[key];
  else if (isTomlTable(copy[key])) copy[key] = withoutPath(copy[key] as TomlTable, rest);
  return copy;
}

/** Removes the edited paths, then any table on those paths left empty. */
function withoutEdited(doc: TomlTable, edits: readonly TomlEdit[]): TomlTable {
  let result = doc;
  for (const { path } of edits) result = withoutPath(result, path);
  for (const { path } of edits) {
    for (let depth = path.length - 1; depth > 0; depth--) {
      const table = getTomlValue(result, path.slice(0, depth));
      if (isTomlTable(table) && Object.keys(table).length === 0) {
        result = withoutPath(result, path.slice(0, depth));
      }
    }
  }
  return result;
}

function checkEdits(before: TomlTable, after: TomlTable, edits: readonly TomlEdit[]): void {
  for (const { path, value } of edits) {
    const now = getTomlValue(after, path);
    // A later edit inside an earlier one's value wins; only the last edit of a path counts.
    const last = edits.findLast((edit) =>
      pathStartsWith(edit.path, path) || pathStartsWith(path, edit.path)
    );
    if (last && !pathEquals(last.path, path)) continue;
    if (!tomlValuesEqual(now, value)) {
      throw new TomlEditError(`"${path.join(".")}" did not read back as written`);
    }
  }
  if (!tomlValuesEqual(withoutEdited(before, edits), withoutEdited(after, edits))) {
    throw new TomlEditError("an edit would have changed values Beacon does not manage");
  }
}
