import type { FlatObject, FlatValue } from "./flatten_any_value.ts";

/**
 * Freezes a flat object and every object and array inside it, and returns it. The flatteners
 * give every record of one resource (or scope) the same frozen object, so that a request with a
 * large resource over many small records costs the resource once, and no stage can change what
 * other records see. Nesting is bounded by the decoders' recursion limit.
 *
 * @example
 * ```ts
 * import { freezeFlatObject } from "./freeze_flat_object.ts";
 * const resource = freezeFlatObject({ "service.name": "codex_exec", tags: ["a"] });
 * Object.isFrozen(resource.tags); // true
 * ```
 */
export function freezeFlatObject<T extends FlatObject>(object: T): Readonly<T> {
  for (const key in object) freezeValue(object[key]);
  return Object.freeze(object);
}

function freezeValue(value: FlatValue): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (const item of value) freezeValue(item);
    Object.freeze(value);
  } else {
    freezeFlatObject(value);
  }
}
