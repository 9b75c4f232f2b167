import type { TomlValue } from "../toml/toml_value.ts";

const SECRET_KEY = /^(authorization|x-api-key|api[-_]?key|.*token.*|.*secret.*|.*password.*)$/i;
/**
 * Exporter headers carry credentials under any name (`x-honeycomb-team`, `dd-api-key`,
 * `signoz-access-token`, ...), so every value in a `headers` table, or in a string such as
 * `OTEL_EXPORTER_OTLP_HEADERS`, counts as secret.
 */
const HEADERS_KEY = /headers$/i;

/**
 * A copy of a value fit to print: strings under secret-looking keys (e.g. an exporter's
 * `authorization` header) and every string in a `headers` table keep only their scheme,
 * `"Bearer ****"`. Iterative, so a value nested however deep cannot overflow the stack.
 *
 * @example
 * ```ts
 * maskSecretValues({ headers: { "x-team": "abc" }, authorization: "Bearer xyz", port: 4318 });
 * // { headers: { "x-team": "****" }, authorization: "Bearer ****", port: 4318 }
 * ```
 */
export function maskSecretValues(value: TomlValue | undefined, key = ""): TomlValue | undefined {
  const rootSecret = HEADERS_KEY.test(key);
  if (!isContainer(value)) return maskLeaf(value, key, rootSecret) as TomlValue | undefined;
  const root = emptyLike(value);
  const pending: {
    source: object;
    target: Record<string, unknown>;
    key: string;
    secret: boolean;
  }[] = [{ source: value, target: root, key, secret: rootSecret }];
  while (pending.length) {
    const { source, target, key, secret } = pending.pop()!;
    const isArray = Array.isArray(source);
    for (const name of Object.keys(source)) {
      const item = (source as Record<string, unknown>)[name];
      // Array elements take their array's name.
      const itemKey = isArray ? key : name;
      const itemSecret = secret || HEADERS_KEY.test(itemKey);
      if (isContainer(item)) {
        const copy = emptyLike(item);
        target[name] = copy;
        pending.push({ source: item, target: copy, key: itemKey, secret: itemSecret });
      } else {
        target[name] = maskLeaf(item, itemKey, itemSecret);
      }
    }
  }
  return root as TomlValue;
}

function maskLeaf(item: unknown, name: string, secret: boolean): unknown {
  if (typeof item !== "string" || !(secret || SECRET_KEY.test(name))) return item;
  const scheme = /^(Bearer|Basic|Token)\s+/i.exec(item)?.[1];
  return scheme ? `${scheme} ****` : "****";
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

function emptyLike(value: object): Record<string, unknown> {
  return (Array.isArray(value) ? [] : {}) as Record<string, unknown>;
}
