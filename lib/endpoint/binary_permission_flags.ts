import denoJson from "../../deno.json" with { type: "json" };

/**
 * The permission flags of the compiled `beacon` binary, and its V8 flags (a heap limit, so that
 * a collector that somehow grows fails its memory limiter's 503s long before the machine runs
 * short), read from the `compile` task in deno.json: the one list used to compile, to run the
 * single-file bundle in tests, and to run the collector as a service from a bundle or sources.
 */
export const BINARY_PERMISSION_FLAGS: readonly string[] = denoJson.tasks.compile
  .split(/\s+/)
  .filter((word) =>
    word.startsWith("--allow-") || word.startsWith("--deny-") ||
    word.startsWith("--v8-flags=")
  );
