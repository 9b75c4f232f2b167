import type { TomlValue } from "../toml/toml_value.ts";
import { mapTomlLeaves } from "../toml/map_toml_leaves.ts";

const SECRET_KEY = /^(authorization|x-api-key|api[-_]?key|.*token.*|.*secret.*|.*password.*)$/i;

/**
 * A copy of a value fit to print: strings under secret-looking keys (e.g. an exporter's
 * `authorization` header) keep only their scheme, `"Bearer ****"`.
 */
export function maskSecretValues(value: TomlValue | undefined, key = ""): TomlValue | undefined {
  return mapTomlLeaves(value, (item, name) => {
    if (typeof item !== "string" || !SECRET_KEY.test(name)) return item;
    const scheme = /^(Bearer|Basic|Token)\s+/i.exec(item)?.[1];
    return scheme ? `${scheme} ****` : "****";
  }, key) as TomlValue | undefined;
}
