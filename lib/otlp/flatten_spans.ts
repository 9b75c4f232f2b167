/**
 * Flattens an OTLP traces Export request into one plain record per span.
 *
 * @module
 */

import { bytesToHex } from "../bytes/bytes_to_hex.ts";
import { flattenKeyValues, type FlatValue } from "./flatten_any_value.ts";
import { type FlatScope, flattenScope } from "./flatten_scope.ts";
import { freezeFlatObject } from "./freeze_flat_object.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";

/** A span kind by name; a value outside the OTLP enum is kept as its number in a string. */
export type FlatSpanKind =
  | "unspecified"
  | "internal"
  | "server"
  | "client"
  | "producer"
  | "consumer"
  | `${number}`;

/** A span status code by name; a value outside the OTLP enum is kept as its number. */
export type FlatStatusCode = "unset" | "ok" | "error" | `${number}`;

/** A span event. */
export interface FlatSpanEvent {
  name: string;
  /** Unix nanoseconds as a decimal string. */
  timeUnixNano: string;
  attributes: Record<string, FlatValue>;
}

/** One OTLP span with its resource and scope, in plain JSON-friendly values. */
export interface FlatSpan {
  name: string;
  kind: FlatSpanKind;
  /** Lower-case hex; "" when absent. */
  traceId: string;
  /** Lower-case hex; "" when absent. */
  spanId: string;
  /** Lower-case hex; "" for a root span. */
  parentSpanId: string;
  /** W3C tracestate; "" when absent. */
  traceState: string;
  /** Unix nanoseconds as a decimal string. */
  startTimeUnixNano: string;
  /** Unix nanoseconds as a decimal string. */
  endTimeUnixNano: string;
  status: { code: FlatStatusCode; message: string };
  attributes: Record<string, FlatValue>;
  /** The resource's attributes (one frozen object shared by the spans of a resource). */
  resource: Record<string, FlatValue>;
  scope: FlatScope;
  events: FlatSpanEvent[];
}

const SPAN_KINDS: readonly FlatSpanKind[] = [
  "unspecified",
  "internal",
  "server",
  "client",
  "producer",
  "consumer",
];
const STATUS_CODES: readonly FlatStatusCode[] = ["unset", "ok", "error"];

/**
 * Flattens every span of a traces Export request, in order. Links are left out.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExportTraceServiceRequestSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
 * import { flattenSpans } from "./flatten_spans.ts";
 * const request = create(ExportTraceServiceRequestSchema, {
 *   resourceSpans: [{ scopeSpans: [{ spans: [{ name: "turn", kind: 1 }] }] }],
 * });
 * flattenSpans(request)[0].kind; // "internal"
 * ```
 */
export function flattenSpans(request: ExportTraceServiceRequest): FlatSpan[] {
  const flat: FlatSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    // Shared by every item of the group (frozen): never a copy per item.
    const resource = freezeFlatObject(flattenKeyValues(resourceSpans.resource?.attributes ?? []));
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const scope = Object.freeze(flattenScope(scopeSpans.scope));
      for (const span of scopeSpans.spans) {
        flat.push({
          name: span.name,
          kind: SPAN_KINDS[span.kind] ?? `${span.kind}`,
          traceId: bytesToHex(span.traceId),
          spanId: bytesToHex(span.spanId),
          parentSpanId: bytesToHex(span.parentSpanId),
          traceState: span.traceState,
          startTimeUnixNano: span.startTimeUnixNano.toString(),
          endTimeUnixNano: span.endTimeUnixNano.toString(),
          status: {
            code: STATUS_CODES[span.status?.code ?? 0] ?? `${span.status?.code ?? 0}`,
            message: span.status?.message ?? "",
          },
          attributes: flattenKeyValues(span.attributes),
          resource,
          scope,
          events: span.events.map((event) => ({
            name: event.name,
            timeUnixNano: event.timeUnixNano.toString(),
            attributes: flattenKeyValues(event.attributes),
          })),
        });
      }
    }
  }
  return flat;
}
