import denoJson from "../../deno.json" with { type: "json" };

/**
 * The permission flags of the compiled `beacon` binary, read from the `compile` task in
 * deno.json: the one list used to compile, to run the single-file bundle in tests, and to run
 * the collector as a service from a bundle.
 */
export const BINARY_PERMISSION_FLAGS: readonly string[] = denoJson.tasks.compile
  .split(/\s+/)
  .filter((word) => word.startsWith("--allow-") || word.startsWith("--deny-"));
