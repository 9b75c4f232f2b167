import assert from "node:assert/strict";
import { validateJsonSchema } from "./validate_json_schema.ts";

Deno.test("validateJsonSchema: types, const, enum, minimum, pattern", () => {
  assert.deepEqual(validateJsonSchema({ type: "integer" }, 3), []);
  assert.equal(validateJsonSchema({ type: "integer" }, 3.5).length, 1);
  assert.deepEqual(validateJsonSchema({ type: ["string", "null"] }, null), []);
  assert.equal(validateJsonSchema({ type: "object" }, []).length, 1);
  assert.equal(validateJsonSchema({ const: 1 }, 2).length, 1);
  assert.equal(validateJsonSchema({ enum: ["a", "b"] }, "c").length, 1);
  assert.equal(validateJsonSchema({ minimum: 0 }, -1).length, 1);
  assert.equal(validateJsonSchema({ pattern: "^a+$" }, "ab").length, 1);
  assert.deepEqual(
    validateJsonSchema({ pattern: "^a+$" }, 5),
    [],
    "pattern only applies to strings",
  );
});

Deno.test("validateJsonSchema: objects, arrays and references, with paths", () => {
  const schema = {
    type: "object",
    properties: { list: { type: "array", items: { $ref: "#/$defs/item" } } },
    required: ["list", "name"],
    additionalProperties: false,
    $defs: { item: { type: "object", additionalProperties: { type: "number" } } },
  };
  assert.deepEqual(
    validateJsonSchema(schema, { list: [{ a: 1 }], name: "x" }).length,
    1,
    "name unknown",
  );
  assert.deepEqual(validateJsonSchema(schema, { list: [{ a: "no" }] }), [
    { path: "", message: 'missing required property "name"' },
    { path: "/list/0/a", message: "expected number, got string" },
  ]);
});

Deno.test("validateJsonSchema: oneOf wants exactly one branch, anyOf at least one", () => {
  const oneOf = { oneOf: [{ type: "number" }, { type: "integer" }] };
  assert.deepEqual(validateJsonSchema(oneOf, 1.5), []);
  assert.equal(validateJsonSchema(oneOf, 1).length, 1, "both match");
  assert.ok(validateJsonSchema(oneOf, "x").length >= 1);
  assert.deepEqual(validateJsonSchema({ anyOf: [{ type: "number" }, { type: "integer" }] }, 1), []);
});

Deno.test("validateJsonSchema: keywords it does not know and broken references are errors", () => {
  assert.throws(
    () => validateJsonSchema({ maxLength: 3 }, "abcd"),
    /Unsupported JSON Schema keyword "maxLength"/,
  );
  assert.throws(() => validateJsonSchema({ $ref: "#/$defs/nope" }, 1), /Cannot resolve \$ref/);
  assert.throws(() => validateJsonSchema({ type: "date" }, 1), /Unsupported JSON Schema type/);
});
