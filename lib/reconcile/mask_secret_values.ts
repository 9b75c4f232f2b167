import { isTomlTable, type TomlValue } from "../toml/toml_value.ts";

const SECRET_KEY = /^(authorization|x-api-key|api[-_]?key|.*token.*|.*secret.*|.*password.*)$/i;

/**
 * A copy of a value fit to print: strings under secret-looking keys (e.g. an exporter's
 * `authorization` header) keep only their scheme, `"Bearer ****"`.
 */
export function maskSecretValues(value: TomlValue | undefined, key = ""): TomlValue | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") {
    if (!SECRET_KEY.test(key)) return value;
    const scheme = /^(Bearer|Basic|Token)\s+/i.exec(value)?.[1];
    return scheme ? `${scheme} ****` : "****";
  }
  if (Array.isArray(value)) return value.map((item) => maskSecretValues(item, key)!);
  if (isTomlTable(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, maskSecretValues(item, name)!]),
    );
  }
  return value;
}
