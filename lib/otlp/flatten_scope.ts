import type { InstrumentationScope } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";

/** The instrumentation scope of a flattened log record, span or metric. */
export interface FlatScope {
  name: string;
  version: string;
}

/**
 * A scope's name and version ("" when the scope is absent). Scope attributes are left out:
 * no known harness sets them.
 *
 * @example
 * ```ts
 * import { flattenScope } from "./flatten_scope.ts";
 * flattenScope(undefined); // { name: "", version: "" }
 * ```
 */
export function flattenScope(scope: InstrumentationScope | undefined): FlatScope {
  return { name: scope?.name ?? "", version: scope?.version ?? "" };
}
