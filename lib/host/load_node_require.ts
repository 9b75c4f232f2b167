/**
 * `require` for the bundled CommonJS packages (`@grpc/grpc-js`, `@grpc/proto-loader`: the
 * forwarder's gRPC sender), made available only when a feature that needs them starts.
 *
 * The bundler gives CommonJS code a `require` made by `createRequire` from `node:module`, imported
 * at the top of the bundle; that import alone initialises Deno's Node layer in every process
 * (5-10 MB of idle memory for the collector). The build (`tools/bundle_beacon.ts`) replaces it
 * with a lookup of the function this module installs, so the Node layer loads only with the
 * forwarder. Run from sources, Deno loads npm packages itself and nothing is looked up.
 *
 * @module
 */

/** The global symbol's key the bundle's `require` looks up. */
export const NODE_REQUIRE_KEY = "beacon.nodeRequire";

/**
 * Installs `require` for bundled CommonJS code; call before importing a module that uses such a
 * package. Idempotent.
 *
 * @example
 * ```ts
 * import { loadNodeRequire } from "./load_node_require.ts";
 * await loadNodeRequire();
 * ```
 */
export async function loadNodeRequire(): Promise<void> {
  const key = Symbol.for(NODE_REQUIRE_KEY);
  const global = globalThis as Record<symbol, unknown>;
  if (global[key]) return;
  const { createRequire } = await import("node:module");
  global[key] = createRequire(import.meta.url);
}
