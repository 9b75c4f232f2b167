import { applyEdits, type Edit, findNodeAtLocation, type Node, parseTree } from "jsonc-parser";
import type { TomlValue } from "../toml/toml_value.ts";
import { getTomlValue } from "../toml/get_toml_value.ts";
import { tomlValuesEqual } from "../toml/toml_values_equal.ts";
import { parseJsonSettings } from "./parse_json_settings.ts";

/** Set the value at `path` in a JSON document, or remove it when `value` is undefined. */
export interface JsonEdit {
  path: string[];
  value: TomlValue | undefined;
}

/** An edit Beacon cannot make without touching bytes it does not own. Nothing is written. */
export class JsonEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonEditError";
  }
}

/**
 * Applies edits to a JSON (or JSONC) document and keeps every byte it does not own:
 * indentation, key order, comments, line endings (LF or CRLF), a leading BOM, and the layout of
 * every neighbouring value. A changed value is replaced in place; a new key goes on its own line
 * after the last key of its object, in that key's indentation (a missing parent object is
 * created the same way); an object written on one line gets its new key on that line; a removed
 * key takes its line and its separator with it, so adding keys and removing them again gives the
 * same bytes back.
 *
 * `jsonc-parser` finds the nodes and applies the splices; the splices themselves are computed
 * here, because its `modify` reformats the line it inserts after. The result is parsed again and
 * checked to hold exactly the wanted values, so a surprising splice fails here instead of being
 * written.
 *
 * @example
 * ```ts
 * import { editJson } from "./edit_json.ts";
 * editJson('{\r\n\t"model": "opus" // mine\r\n}\r\n', [{ path: ["env", "A"], value: "1" }]);
 * // '{\r\n\t"model": "opus", // mine\r\n\t"env": {\r\n\t\t"A": "1"\r\n\t}\r\n}\r\n'
 * ```
 */
export function editJson(text: string, edits: readonly JsonEdit[]): string {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  let body = bom ? text.slice(1) : text;
  const style = styleOf(body);
  for (const edit of edits) body = applyEdits(body, spliceFor(body, edit, style));
  const result = bom + body;
  const parsed = parseJsonSettings(result);
  if (!parsed.ok) {
    throw new JsonEditError(`the edited file would not parse (${parsed.error.message})`);
  }
  for (const edit of edits) {
    const found = getTomlValue(parsed.value, edit.path);
    if (!tomlValuesEqual(found, edit.value)) {
      throw new JsonEditError(`"${edit.path.join(".")}" would not hold the value Beacon wrote`);
    }
  }
  return result;
}

interface Style {
  eol: string;
  /** One level of indentation. */
  unit: string;
  /** `": "` or `":"`, as the file separates keys from values. */
  colon: string;
}

function styleOf(text: string): Style {
  return {
    eol: text.includes("\r\n") ? "\r\n" : "\n",
    unit: /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ",
    colon: /"\s*:[^\S\r\n]/.test(text) || !/"\s*:/.test(text) ? ": " : ":",
  };
}

/** The splices for one edit against the current text. */
function spliceFor(text: string, edit: JsonEdit, style: Style): Edit[] {
  const value = edit.value === undefined ? undefined : toJson(edit.value);
  if (text.trim() === "") {
    if (value === undefined) return [];
    const root = nest(edit.path, value);
    return [{ offset: 0, length: text.length, content: render(root, "", style) + style.eol }];
  }
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== "object") throw new JsonEditError("the top level is not an object");
  const existing = findNodeAtLocation(root, edit.path);
  if (existing) {
    const property = existing.parent!;
    if (value !== undefined) {
      const indent = lineIndent(text, property.offset);
      return [{
        offset: existing.offset,
        length: existing.length,
        content: render(value, indent, style, isOneLine(text, existing)),
      }];
    }
    return removeProperty(text, property);
  }
  if (value === undefined) return [];
  // The deepest object on the path that exists, and what to create in it.
  let depth = edit.path.length - 1;
  let parent: Node | undefined;
  for (; depth >= 0; depth--) {
    parent = depth === 0 ? root : findNodeAtLocation(root, edit.path.slice(0, depth));
    if (parent) break;
  }
  if (!parent || parent.type !== "object") {
    throw new JsonEditError(`"${edit.path.slice(0, depth).join(".")}" is not an object`);
  }
  const created = nest(edit.path.slice(depth + 1), value);
  return insertProperty(text, parent, edit.path[depth], created, style);
}

function insertProperty(
  text: string,
  object: Node,
  key: string,
  value: unknown,
  style: Style,
): Edit[] {
  const properties = object.children ?? [];
  const oneLine = isOneLine(text, object);
  const objectIndent = lineIndent(text, object.parent?.offset ?? object.offset);
  if (properties.length === 0) {
    const indent = objectIndent + style.unit;
    const content = oneLine
      ? `{${entry(key, value, "", style, true)}}`
      : `{${style.eol}${indent}${entry(key, value, indent, style)}${style.eol}${objectIndent}}`;
    return [{ offset: object.offset, length: object.length, content }];
  }
  const last = properties[properties.length - 1];
  const lastEnd = last.offset + last.length;
  const comma = nextSignificant(text, lastEnd);
  const hasComma = text[comma] === ",";
  const edits: Edit[] = [];
  if (oneLine) {
    const at = hasComma ? comma + 1 : lastEnd;
    const content = `${hasComma ? "" : ","}${entry(key, value, "", style, true)}`;
    return [{ offset: at, length: 0, content }];
  }
  const startsLine = text.slice(lineStart(text, last.offset), last.offset).trim() === "";
  const indent = startsLine
    ? text.slice(lineStart(text, last.offset), last.offset)
    : objectIndent + style.unit;
  if (!hasComma) edits.push({ offset: lastEnd, length: 0, content: "," });
  const afterComma = hasComma ? comma + 1 : lastEnd;
  const end = lineEnd(text, afterComma);
  const closing = object.offset + object.length - 1;
  // A file that ends its objects with a comma gets one after the new key too.
  const content = `${style.eol}${indent}${entry(key, value, indent, style)}${hasComma ? "," : ""}`;
  // When the object closes on this line, the new key goes right after the last one.
  edits.push({ offset: closing < end ? afterComma : end, length: 0, content });
  return edits;
}

function removeProperty(text: string, property: Node): Edit[] {
  const object = property.parent!;
  const properties = object.children!;
  const index = properties.indexOf(property);
  const end = property.offset + property.length;
  if (properties.length === 1) {
    return [{ offset: object.offset, length: object.length, content: "{}" }];
  }
  if (index < properties.length - 1) {
    const next = properties[index + 1];
    return [{ offset: property.offset, length: next.offset - property.offset, content: "" }];
  }
  const previous = properties[index - 1];
  const previousEnd = previous.offset + previous.length;
  const comma = nextSignificant(text, previousEnd);
  if (text[comma] !== ",") throw new JsonEditError("a key has no separator before it");
  // A trailing comma after the key goes with it; the one before it then stays.
  const trailing = nextSignificant(text, end);
  const removedEnd = text[trailing] === "," ? trailing + 1 : end;
  const start = lineStart(text, property.offset);
  const ownLine = start > comma && text.slice(start, property.offset).trim() === "";
  if (!ownLine) return [{ offset: comma, length: end - comma, content: "" }];
  const eolStart = text.slice(0, start).endsWith("\r\n") ? start - 2 : start - 1;
  const edits: Edit[] = [{ offset: eolStart, length: removedEnd - eolStart, content: "" }];
  if (removedEnd === end) edits.push({ offset: comma, length: 1, content: "" });
  return edits;
}

function entry(key: string, value: unknown, indent: string, style: Style, oneLine = false) {
  return `${JSON.stringify(key)}${style.colon}${render(value, indent, style, oneLine)}`;
}

function render(value: unknown, indent: string, style: Style, oneLine = false): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return JSON.stringify(value);
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  if (oneLine) return `{${entries.map(([k, v]) => entry(k, v, "", style, true)).join(",")}}`;
  const inner = indent + style.unit;
  const lines = entries.map(([k, v]) => inner + entry(k, v, inner, style));
  return `{${style.eol}${lines.join("," + style.eol)}${style.eol}${indent}}`;
}

function nest(path: readonly string[], value: unknown): unknown {
  return path.reduceRight((inner, key) => ({ [key]: inner }), value);
}

function isOneLine(text: string, node: Node): boolean {
  return !text.slice(node.offset, node.offset + node.length).includes("\n");
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Where the line holding `offset` ends (its line break, or the end of the text). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  if (newline === -1) return text.length;
  return text[newline - 1] === "\r" ? newline - 1 : newline;
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset)))![0];
}

/** The offset of the next character that is not white space or a comment. */
function nextSignificant(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    if (/\s/.test(text[i])) i++;
    else if (text.startsWith("//", i)) {
      i = text.indexOf("\n", i) === -1 ? text.length : text.indexOf("\n", i);
    } else if (text.startsWith("/*", i)) {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 2;
    } else break;
  }
  return i;
}

function toJson(value: TomlValue): unknown {
  if (typeof value === "bigint") {
    throw new JsonEditError("a JSON settings value cannot be a 64-bit integer");
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJson(item)]));
  }
  return value;
}
