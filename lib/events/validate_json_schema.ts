/**
 * A small JSON Schema validator: the subset of draft 2020-12 that Beacon's own schemas use.
 * Beacon has no JSON Schema library among its dependencies, and this is enough to check events
 * against `schemas/beacon-event.v1.schema.json` in tests and tools. A keyword outside the subset
 * is an error rather than silently ignored, so the schema cannot outgrow the validator unnoticed.
 *
 * @module
 */

/** One way a value fails a schema: where (a JSON pointer into the value) and why. */
export interface JsonSchemaProblem {
  path: string;
  message: string;
}

type Schema = boolean | { [keyword: string]: unknown };

/** Keywords with no effect on validation. */
const ANNOTATIONS = new Set(["$schema", "$id", "title", "description", "format", "$comment"]);
const KEYWORDS = new Set([
  ...ANNOTATIONS,
  "$ref",
  "$defs",
  "type",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "oneOf",
  "anyOf",
  "minimum",
  "pattern",
]);

/**
 * Validates `value` against `schema` (whose `$ref`s point into its own `#/$defs/`), returning
 * every problem found (none: valid). Supported: `$ref`, `$defs`, `type` (including `integer`
 * and lists of types), `const`, `enum`, `properties`, `required`, `additionalProperties`,
 * `items`, `oneOf`, `anyOf`, `minimum`, `pattern`; `title`, `description` and `format` are
 * annotations.
 *
 * @example
 * ```ts
 * validateJsonSchema({ type: "object", required: ["id"] }, {});
 * // [{ path: "", message: 'missing required property "id"' }]
 * ```
 * @throws {Error} when the schema uses a keyword outside the subset or a `$ref` that does not
 * resolve.
 */
export function validateJsonSchema(schema: Schema, value: unknown): JsonSchemaProblem[] {
  const problems: JsonSchemaProblem[] = [];
  validate(schema, value, "", problems, schema);
  return problems;
}

function validate(
  schema: Schema,
  value: unknown,
  path: string,
  problems: JsonSchemaProblem[],
  root: Schema,
): void {
  if (schema === true) return;
  if (schema === false) {
    problems.push({ path, message: "no value is allowed here" });
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!KEYWORDS.has(keyword)) throw new Error(`Unsupported JSON Schema keyword "${keyword}"`);
  }
  if (typeof schema.$ref === "string") {
    validate(resolve(root, schema.$ref), value, path, problems, root);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type as string))) {
      problems.push({ path, message: `expected ${types.join(" or ")}, got ${typeName(value)}` });
      return;
    }
  }
  if ("const" in schema && !jsonEqual(schema.const, value)) {
    problems.push({ path, message: `expected ${JSON.stringify(schema.const)}` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => jsonEqual(item, value))) {
    problems.push({ path, message: `expected one of ${JSON.stringify(schema.enum)}` });
  }
  if (typeof schema.minimum === "number" && typeof value === "number") {
    if (value < schema.minimum) problems.push({ path, message: `less than ${schema.minimum}` });
  }
  if (typeof schema.pattern === "string" && typeof value === "string") {
    if (!new RegExp(schema.pattern, "u").test(value)) {
      problems.push({ path, message: `does not match ${schema.pattern}` });
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, index) =>
      validate(schema.items as Schema, item, `${path}/${index}`, problems, root)
    );
  }
  if (isObject(value)) validateObject(schema, value, path, problems, root);
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const branches = (schema.oneOf ?? schema.anyOf) as Schema[];
    const results = branches.map((branch) => {
      const found: JsonSchemaProblem[] = [];
      validate(branch, value, path, found, root);
      return found;
    });
    const passed = results.filter((found) => found.length === 0).length;
    if ((schema.oneOf !== undefined && passed !== 1) || passed === 0) {
      if (passed > 1) {
        problems.push({ path, message: `matches ${passed} branches of oneOf, expected one` });
      } else {
        // Report the branch that came closest: its problems say what to fix.
        const closest = results.reduce((best, found) => found.length < best.length ? found : best);
        problems.push({ path, message: "matches no branch" }, ...closest);
      }
    }
  }
}

function validateObject(
  schema: { [keyword: string]: unknown },
  value: Record<string, unknown>,
  path: string,
  problems: JsonSchemaProblem[],
  root: Schema,
): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of (schema.required ?? []) as string[]) {
    if (!Object.hasOwn(value, name)) {
      problems.push({ path, message: `missing required property "${name}"` });
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const itemPath = `${path}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (Object.hasOwn(properties, name)) {
      validate(properties[name], item, itemPath, problems, root);
    } else if (schema.additionalProperties === false) {
      problems.push({ path, message: `unknown property "${name}"` });
    } else if (schema.additionalProperties !== undefined) {
      validate(schema.additionalProperties as Schema, item, itemPath, problems, root);
    }
  }
}

function resolve(root: Schema, ref: string): Schema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const defs = typeof root === "object" ? root.$defs as Record<string, Schema> : undefined;
  if (!match || !defs || !Object.hasOwn(defs, match[1])) {
    throw new Error(`Cannot resolve $ref "${ref}": only "#/$defs/<name>" is supported`);
  }
  return defs[match[1]];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    default:
      throw new Error(`Unsupported JSON Schema type "${type}"`);
  }
}

function typeName(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
