/**
 * A shallow copy of `value` without the properties whose value is `undefined`, so an event's
 * optional fields are absent rather than present-but-undefined (equal in JSON, different to
 * `assert.deepEqual` and to `in`).
 *
 * @example
 * ```ts
 * omitUndefined({ a: 1, b: undefined }); // { a: 1 }
 * ```
 */
export function omitUndefined<T extends object>(value: T): T {
  const copy = {} as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) copy[key] = item;
  }
  return copy as T;
}
