/**
 * The lower-case words of an identifier, split at `_`, `-`, `.`, other punctuation and camelCase
 * humps (an acronym stays one word).
 *
 * @example
 * ```ts
 * splitNameWords("AWS_SECRET_ACCESS_KEY"); // ["aws", "secret", "access", "key"]
 * splitNameWords("XMLHttpRequest"); // ["xml", "http", "request"]
 * ```
 */
export function splitNameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}
