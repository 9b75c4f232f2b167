/**
 * A deep copy of a value's tables and arrays (plain objects and arrays) with every other value
 * replaced by `leaf(value, key)`, where `key` is the name the value sits under (array elements
 * take their array's name; the root's is `rootKey`). Iterative: a value nested however deep
 * cannot overflow the stack.
 *
 * @example
 * ```ts
 * mapTomlLeaves({ a: [1, 2], b: { c: 3 } }, (value) => (value as number) * 10);
 * // { a: [10, 20], b: { c: 30 } }
 * ```
 */
export function mapTomlLeaves(
  value: unknown,
  leaf: (value: unknown, key: string) => unknown,
  rootKey = "",
): unknown {
  if (!isContainer(value)) return leaf(value, rootKey);
  const root = emptyLike(value);
  const pending: { source: object; target: Record<string, unknown>; key: string }[] = [
    { source: value, target: root, key: rootKey },
  ];
  while (pending.length) {
    const { source, target, key } = pending.pop()!;
    const isArray = Array.isArray(source);
    for (const name of Object.keys(source)) {
      const item = (source as Record<string, unknown>)[name];
      const itemKey = isArray ? key : name;
      if (isContainer(item)) {
        const copy = emptyLike(item);
        target[name] = copy;
        pending.push({ source: item, target: copy, key: itemKey });
      } else {
        target[name] = leaf(item, itemKey);
      }
    }
  }
  return root;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

function emptyLike(value: object): Record<string, unknown> {
  return (Array.isArray(value) ? [] : {}) as Record<string, unknown>;
}
