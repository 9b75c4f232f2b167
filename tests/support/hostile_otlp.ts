/**
 * Hostile OTLP Export requests, written straight in the wire format (protobuf) or as OTLP/JSON
 * text: small bodies that cost a naive receiver a lot (a resource shared by many records, many
 * tiny records, deep nesting).
 *
 * @module
 */

import type { OtlpSignal } from "../../lib/otlp/otlp_signal.ts";

/** The field names of one signal's request, in OTLP/JSON. */
const JSON_NAMES: Record<OtlpSignal, [string, string, string]> = {
  logs: ["resourceLogs", "scopeLogs", "logRecords"],
  traces: ["resourceSpans", "scopeSpans", "spans"],
  metrics: ["resourceMetrics", "scopeMetrics", "metrics"],
};

function varint(value: number): number[] {
  const out: number[] = [];
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/** A length-delimited field: tag, length, payload. */
function field(number: number, payload: Uint8Array): Uint8Array {
  const head = [...varint((number << 3) | 2), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** `KeyValue { key, value: AnyValue { string_value } }`. */
function stringAttribute(key: string, value: string): Uint8Array {
  return concat([field(1, utf8(key)), field(2, field(1, utf8(value)))]);
}

/**
 * One resource with `attributes` string attributes, one scope, and `items` empty log records,
 * spans or metrics (all three requests have the same shape: field 1 of the request holds the
 * resource group, whose field 1 is the resource and field 2 the scope group, whose field 2 holds
 * the items). A naive receiver copies the resource into each item: attributes x items.
 */
export function sharedResourceRequest(attributes: number, items: number): Uint8Array {
  const resource = concat(
    Array.from({ length: attributes }, (_, i) => field(1, stringAttribute(`k${i}`, "v"))),
  );
  const emptyItem = field(2, new Uint8Array());
  const itemBytes = new Uint8Array(emptyItem.length * items);
  for (let i = 0; i < items; i++) itemBytes.set(emptyItem, i * emptyItem.length);
  const scopeGroup = itemBytes; // the ScopeLogs/ScopeSpans/ScopeMetrics body: items only
  const resourceGroup = concat([field(1, resource), field(2, scopeGroup)]);
  return field(1, resourceGroup);
}

/** The OTLP/JSON text of {@link sharedResourceRequest}. */
export function sharedResourceRequestJson(
  signal: OtlpSignal,
  attributes: number,
  items: number,
): string {
  const [resourceGroup, scopeGroup, item] = JSON_NAMES[signal];
  const attrs = Array.from(
    { length: attributes },
    (_, i) => `{"key":"k${i}","value":{"stringValue":"v"}}`,
  ).join(",");
  const records = new Array(items).fill("{}").join(",");
  return `{"${resourceGroup}":[{"resource":{"attributes":[${attrs}]},` +
    `"${scopeGroup}":[{"${item}":[${records}]}]}]}`;
}

/**
 * A logs request whose one record has an attribute value nested `depth` key-value lists deep
 * (`AnyValue { kvlist_value { values { key, value: AnyValue { ... } } } }`).
 */
export function deeplyNestedLogsRequest(depth: number): Uint8Array {
  let value = field(1, utf8("leaf")); // AnyValue { string_value }
  for (let i = 0; i < depth; i++) {
    const keyValue = concat([field(1, utf8("k")), field(2, value)]);
    value = field(6, field(1, keyValue)); // AnyValue { kvlist_value { values } }
  }
  const record = field(6, concat([field(1, utf8("nested")), field(2, value)]));
  return field(1, field(2, field(2, record)));
}
