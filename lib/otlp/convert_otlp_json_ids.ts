/**
 * OTLP/JSON writes trace and span ids as hex, where proto3 JSON (and so @bufbuild/protobuf)
 * writes every `bytes` field as base64. This converts the id fields, and only those, between
 * the two spellings in a parsed OTLP/JSON value, in place.
 *
 * @module
 */

import { base64Decode, base64Encode } from "@bufbuild/protobuf/wire";
import { bytesToHex } from "../bytes/bytes_to_hex.ts";
import type { OtlpSignal } from "./otlp_signal.ts";

/** Which way to convert: hex to base64 before `fromJson`, base64 to hex after `toJson`. */
export type OtlpJsonIdDirection = "hex-to-base64" | "base64-to-hex";

/** An id field that is not a hex string, with its dot path for the error message. */
export interface OtlpJsonIdProblem {
  path: string;
  value: unknown;
}

type JsonObject = Record<string, unknown>;

// Every field may arrive under its JSON name or its proto name: proto3 JSON parsers accept
// both, so the id conversion must too.
const RESOURCE_LISTS: Record<OtlpSignal, readonly string[]> = {
  logs: ["resourceLogs", "resource_logs"],
  traces: ["resourceSpans", "resource_spans"],
  metrics: ["resourceMetrics", "resource_metrics"],
};
const SCOPE_LISTS: Record<OtlpSignal, readonly string[]> = {
  logs: ["scopeLogs", "scope_logs"],
  traces: ["scopeSpans", "scope_spans"],
  metrics: ["scopeMetrics", "scope_metrics"],
};
const ITEM_LISTS: Record<OtlpSignal, readonly string[]> = {
  logs: ["logRecords", "log_records"],
  traces: ["spans"],
  metrics: ["metrics"],
};
const TRACE_AND_SPAN_ID = ["traceId", "trace_id", "spanId", "span_id"];
const SPAN_IDS = [...TRACE_AND_SPAN_ID, "parentSpanId", "parent_span_id"];
const METRIC_DATA = [
  "gauge",
  "sum",
  "histogram",
  "exponentialHistogram",
  "exponential_histogram",
  "summary",
];

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Converts, in place, the trace/span id fields of a parsed OTLP/JSON Export request (or of the
 * output of `toJson` for one): log records' `traceId`/`spanId`; spans' `traceId`/`spanId`/
 * `parentSpanId` and their links' `traceId`/`spanId`; metric exemplars' `traceId`/`spanId`.
 * Attribute values are never touched. Parts that do not have the expected shape are left for
 * the protobuf JSON parser to report.
 *
 * @returns the first id that is not a hex string (hex-to-base64 only), or undefined.
 *
 * @example
 * ```ts
 * import { convertOtlpJsonIds } from "./convert_otlp_json_ids.ts";
 * const json = { resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: "00f067aa0ba902b7" }] }] }] };
 * convertOtlpJsonIds("traces", json, "hex-to-base64"); // spanId is now "APBnqgupArc="
 * ```
 */
export function convertOtlpJsonIds(
  signal: OtlpSignal,
  json: unknown,
  direction: OtlpJsonIdDirection,
): OtlpJsonIdProblem | undefined {
  const convert = direction === "hex-to-base64" ? hexToBase64 : base64ToHex;
  for (const [resource, resourcePath] of children(json, RESOURCE_LISTS[signal], "")) {
    for (const [scope, scopePath] of children(resource, SCOPE_LISTS[signal], resourcePath)) {
      for (const [item, itemPath] of children(scope, ITEM_LISTS[signal], scopePath)) {
        const problem = signal === "metrics"
          ? convertExemplarIds(item, itemPath, convert)
          : convertIds(item, signal === "traces" ? SPAN_IDS : TRACE_AND_SPAN_ID, itemPath, convert);
        if (problem) return problem;
        if (signal === "traces") {
          for (const [link, linkPath] of children(item, ["links"], itemPath)) {
            const linkProblem = convertIds(link, TRACE_AND_SPAN_ID, linkPath, convert);
            if (linkProblem) return linkProblem;
          }
        }
      }
    }
  }
  return undefined;
}

function convertExemplarIds(
  metric: JsonObject,
  path: string,
  convert: (value: string) => string | undefined,
): OtlpJsonIdProblem | undefined {
  for (const dataKey of METRIC_DATA) {
    const data = metric[dataKey];
    if (!isObject(data)) continue;
    const dataPath = `${path}.${dataKey}`;
    for (const [point, pointPath] of children(data, ["dataPoints", "data_points"], dataPath)) {
      for (const [exemplar, exemplarPath] of children(point, ["exemplars"], pointPath)) {
        const problem = convertIds(exemplar, TRACE_AND_SPAN_ID, exemplarPath, convert);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

function convertIds(
  holder: JsonObject,
  keys: readonly string[],
  path: string,
  convert: (value: string) => string | undefined,
): OtlpJsonIdProblem | undefined {
  for (const key of keys) {
    const value = holder[key];
    if (value === undefined || value === null) continue;
    const converted = typeof value === "string" ? convert(value) : undefined;
    if (converted === undefined) return { path: `${path}.${key}`, value };
    holder[key] = converted;
  }
  return undefined;
}

/** The objects in the first of `keys` holding an array, with their dot paths. */
function* children(
  parent: unknown,
  keys: readonly string[],
  parentPath: string,
): Generator<[JsonObject, string]> {
  if (!isObject(parent)) return;
  for (const key of keys) {
    const list = parent[key];
    if (!Array.isArray(list)) continue;
    const prefix = parentPath === "" ? key : `${parentPath}.${key}`;
    for (let i = 0; i < list.length; i++) {
      const child = list[i];
      if (isObject(child)) yield [child, `${prefix}[${i}]`];
    }
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function hexToBase64(hex: string): string | undefined {
  if (!HEX.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return base64Encode(bytes);
}

function base64ToHex(base64: string): string {
  return bytesToHex(base64Decode(base64));
}
