import assert from "node:assert/strict";
import { scanJsonShape } from "./scan_json_shape.ts";

Deno.test("scanJsonShape counts objects besides the outermost, and nesting, outside strings", () => {
  assert.equal(scanJsonShape('{"a":[{},{}]}', 10, 2), "ok");
  assert.equal(scanJsonShape('{"a":[{},{},{}]}', 10, 2), "too many");
  assert.equal(scanJsonShape('{"a":[[[]]]}', 3, 10), "too deep");
  assert.equal(scanJsonShape('{"a":[[[]]]}', 4, 10), "ok");
  assert.equal(scanJsonShape('{"a":"{{{{\\"{{{{"}', 1, 0), "ok", "braces inside strings");
});
