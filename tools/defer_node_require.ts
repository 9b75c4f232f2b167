/**
 * Rewrites a bundle so that its `require` for CommonJS packages is looked up when first called
 * instead of made at load time from a top-level `import ... from "node:module"` (see
 * `lib/host/load_node_require.ts`, which installs it).
 *
 * @module
 */
import { NODE_REQUIRE_KEY } from "../lib/host/load_node_require.ts";

const SHIM =
  /import\s*\{\s*createRequire as __deno_internal_createRequire\s*\}\s*from\s*"node:module";?\s*var ([\w$]+)\s*=\s*__deno_internal_createRequire\(import\.meta\.url\);/;

/**
 * The bundle with its `createRequire` shim replaced. A bundle without the shim is returned as it
 * is; one that imports `node:module` in another form is refused (a new bundler would otherwise
 * bring the Node layer back into every process unnoticed).
 *
 * @example
 * ```ts
 * import { deferNodeRequire } from "./defer_node_require.ts";
 * deferNodeRequire('console.log("no CommonJS here");'); // unchanged
 * ```
 */
export function deferNodeRequire(code: string): string {
  const match = SHIM.exec(code);
  if (!match) {
    if (/from\s*"node:module"/.test(code)) {
      throw new Error(
        "The bundle imports node:module in a form tools/defer_node_require.ts does not know: " +
          "update its pattern to the bundler's createRequire shim.",
      );
    }
    return code;
  }
  const name = match[1];
  const replacement = `var ${name}=(id)=>{const r=globalThis[Symbol.for(${
    JSON.stringify(NODE_REQUIRE_KEY)
  })];if(!r)throw new Error("require("+id+") before loadNodeRequire() (lib/host/load_node_require.ts)");return r(id)};`;
  return code.slice(0, match.index) + replacement + code.slice(match.index + match[0].length);
}
