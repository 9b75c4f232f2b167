/**
 * JSON for data holding TOML values (plans, Beacon's state): integers beyond 2^53 are bigints,
 * which JSON cannot hold, so they are written as `{ "$bigint": "12345678901234567890" }` and
 * read back as bigints. Every file Beacon writes with TOML values in it uses this one encoding.
 *
 * Neither direction recurses: V8's JSON.parse reads deep nesting iteratively, but its
 * JSON.stringify overflows the stack at about 10,000 levels with indentation or a replacer, so
 * the writing is done here, with the same output as `JSON.stringify(value, null, space)`.
 *
 * @module
 */

/** Text still to write, as opposed to a value still to write. */
class Text {
  constructor(readonly text: string) {}
}

/** `JSON.stringify` with bigints encoded (and no recursion). */
export function stringifyTomlJson(value: unknown, space?: number): string {
  const unit = " ".repeat(Math.max(0, Math.min(10, space ?? 0)));
  const out: string[] = [];
  const pending: (Text | { value: unknown; depth: number })[] = [{ value, depth: 0 }];
  while (pending.length) {
    const item = pending.pop()!;
    if (item instanceof Text) {
      out.push(item.text);
      continue;
    }
    const { depth } = item;
    const current = jsonValue(item.value);
    if (typeof current !== "object" || current === null) {
      out.push(JSON.stringify(current) ?? "null");
      continue;
    }
    const isArray = Array.isArray(current);
    const record = current as Record<string, unknown>;
    const keys = isArray
      ? Object.keys(record)
      : Object.keys(record).filter((key) => !isOmitted(jsonValue(record[key])));
    const [open, close] = isArray ? ["[", "]"] : ["{", "}"];
    if (!keys.length) {
      out.push(open + close);
      continue;
    }
    const inner = unit ? "\n" + unit.repeat(depth + 1) : "";
    pending.push(new Text((unit ? "\n" + unit.repeat(depth) : "") + close));
    for (let i = keys.length - 1; i >= 0; i--) {
      pending.push({ value: record[keys[i]], depth: depth + 1 });
      const name = isArray ? "" : JSON.stringify(keys[i]) + (unit ? ": " : ":");
      pending.push(new Text((i > 0 ? "," : "") + inner + name));
    }
    pending.push(new Text(open));
  }
  return out.join("");
}

/** What JSON writes for `value` one level down: `toJSON()` applied, bigints encoded. */
function jsonValue(value: unknown): unknown {
  const plain = typeof value === "object" && value !== null &&
      typeof (value as { toJSON?: unknown }).toJSON === "function"
    ? (value as { toJSON(): unknown }).toJSON()
    : value;
  return typeof plain === "bigint" ? { $bigint: String(plain) } : plain;
}

/** What JSON leaves out of an object (and writes as null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** `JSON.parse` with encoded bigints decoded. Throws as `JSON.parse` does. */
export function parseTomlJson(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  if (isEncodedBigint(parsed)) return BigInt(parsed.$bigint);
  const pending: unknown[] = [parsed];
  while (pending.length) {
    const container = pending.pop();
    if (typeof container !== "object" || container === null) continue;
    const record = container as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (isEncodedBigint(item)) record[key] = BigInt(item.$bigint);
      else if (typeof item === "object" && item !== null) pending.push(item);
    }
  }
  return parsed;
}

function isEncodedBigint(item: unknown): item is { $bigint: string } {
  return typeof item === "object" && item !== null &&
    typeof (item as { $bigint?: unknown }).$bigint === "string";
}
