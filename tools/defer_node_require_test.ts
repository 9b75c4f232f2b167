import assert from "node:assert/strict";
import { deferNodeRequire } from "./defer_node_require.ts";

const SHIM =
  'import{createRequire as __deno_internal_createRequire} from "node:module";var ue=__deno_internal_createRequire(import.meta.url);';

Deno.test("the createRequire shim becomes a lookup of the installed require", () => {
  const out = deferNodeRequire(`var a=1;${SHIM}var b=ue("node:net");`);
  assert.doesNotMatch(out, /node:module/);
  assert.match(
    out,
    /^var a=1;var ue=\(id\)=>\{const r=globalThis\[Symbol\.for\("beacon\.nodeRequire"\)\]/,
  );
  assert.match(out, /var b=ue\("node:net"\);$/);
});

Deno.test("the looked-up require is the installed one, and says so when it is missing", () => {
  const code = deferNodeRequire(`${SHIM}globalThis.result=()=>ue("x");`);
  const key = Symbol.for("beacon.nodeRequire");
  const global = globalThis as unknown as Record<symbol | string, unknown>;
  new Function(code)();
  const call = global.result as () => unknown;
  assert.throws(call, /require\(x\) before loadNodeRequire\(\)/);
  global[key] = (id: string) => `required ${id}`;
  try {
    assert.equal(call(), "required x");
  } finally {
    delete global[key];
    delete global.result;
  }
});

Deno.test("a bundle without the shim is unchanged; another form of node:module is refused", () => {
  assert.equal(deferNodeRequire('console.log("x");'), 'console.log("x");');
  assert.throws(
    () =>
      deferNodeRequire(
        'import {createRequire as cr} from "node:module";var r=cr(import.meta.url);',
      ),
    /does not know/,
  );
});
