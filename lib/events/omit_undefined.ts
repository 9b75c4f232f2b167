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
  const source = value as Record<string, unknown>;
  const copy = {} as Record<string, unknown>;
  // for-in with an own-property check visits what Object.entries would, in the same order,
  // without allocating an array per property.
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const item = source[key];
    if (item !== undefined) copy[key] = item;
  }
  return copy as T;
}
