import { OTLP_RECURSION_LIMIT } from "./otlp_signal.ts";

// Each message is at most an object inside an array in OTLP/JSON, plus one level for a list of
// scalars: deeper text cannot decode within OTLP_RECURSION_LIMIT, and is refused before
// JSON.parse builds it.
/** The deepest `{`/`[` nesting that can decode within OTLP_RECURSION_LIMIT messages. */
export const OTLP_JSON_MAX_DEPTH = 2 * OTLP_RECURSION_LIMIT + 1;

/**
 * Whether JSON text's `{` / `[` nest deeper than `maxDepth`, or its `{` open more than
 * `maxObjects` objects besides the outermost one, outside strings: a cheap scan, no parse, so
 * that a body is refused before JSON.parse builds anything. The text need not be valid JSON.
 *
 * @example
 * ```ts
 * import { scanJsonShape } from "./scan_json_shape.ts";
 * scanJsonShape('{"a":[{},{}]}', 10, 1); // "too many"
 * scanJsonShape('{"a":"{{{{"}', 2, 10); // "ok" (inside a string)
 * ```
 */
export function scanJsonShape(
  text: string,
  maxDepth: number,
  maxObjects: number,
): "ok" | "too deep" | "too many" {
  let depth = 0;
  let objects = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return "too deep";
      // The request object itself is not an item.
      if (c === 0x7b && ++objects > maxObjects + 1) return "too many";
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return "ok";
}
