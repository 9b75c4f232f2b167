/**
 * Summarises an OTLP metrics Export request: one plain record per metric stream, with its data
 * points reduced to time, attributes and value (or count and sum).
 *
 * @module
 */

import {
  flattenDouble,
  flattenInt64,
  flattenKeyValues,
  type FlatValue,
} from "./flatten_any_value.ts";
import { type FlatScope, flattenScope } from "./flatten_scope.ts";
import { freezeFlatObject } from "./freeze_flat_object.ts";
import type { ExportMetricsServiceRequest } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import type { Metric, NumberDataPoint } from "./gen/opentelemetry/proto/metrics/v1/metrics_pb.ts";

/** The kind of a metric; `empty` when it carries no data. */
export type FlatMetricType =
  | "gauge"
  | "sum"
  | "histogram"
  | "exponential_histogram"
  | "summary"
  | "empty";

/** A sum's or histogram's aggregation temporality (null for gauges and summaries). */
export type FlatTemporality = "unspecified" | "delta" | "cumulative" | `${number}` | null;

/** One data point, reduced. Numbers that JSON cannot hold exactly are strings. */
export interface FlatDataPoint {
  /** Unix nanoseconds as a decimal string ("0" when unset). */
  startTimeUnixNano: string;
  /** Unix nanoseconds as a decimal string. */
  timeUnixNano: string;
  attributes: Record<string, FlatValue>;
  /** Gauges and sums: the value (int64 or double); absent when the point has none. */
  value?: number | string;
  /** Histograms and summaries: how many measurements. */
  count?: number | string;
  /** Histograms and summaries: their sum, when recorded. */
  sum?: number | string;
}

/** One metric stream with its resource and scope. */
export interface FlatMetric {
  name: string;
  description: string;
  unit: string;
  type: FlatMetricType;
  temporality: FlatTemporality;
  /** Sums only: whether the sum only grows; null for other types. */
  monotonic: boolean | null;
  /** The resource's attributes (one frozen object shared by the metrics of a resource). */
  resource: Record<string, FlatValue>;
  scope: FlatScope;
  dataPoints: FlatDataPoint[];
}

const TEMPORALITIES = ["unspecified", "delta", "cumulative"] as const;

/**
 * Summarises every metric of a metrics Export request, in order. Histogram buckets,
 * quantiles, min/max and exemplars are left out.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { ExportMetricsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
 * import { summarizeMetrics } from "./summarize_metrics.ts";
 * const request = create(ExportMetricsServiceRequestSchema, {
 *   resourceMetrics: [{ scopeMetrics: [{ metrics: [{
 *     name: "codex.tool.call",
 *     data: { case: "sum", value: { dataPoints: [{ value: { case: "asInt", value: 1n } }] } },
 *   }] }] }],
 * });
 * summarizeMetrics(request)[0].dataPoints[0].value; // 1
 * ```
 */
export function summarizeMetrics(request: ExportMetricsServiceRequest): FlatMetric[] {
  const flat: FlatMetric[] = [];
  for (const resourceMetrics of request.resourceMetrics) {
    // Shared by every item of the group (frozen): never a copy per item.
    const resource = freezeFlatObject(flattenKeyValues(resourceMetrics.resource?.attributes ?? []));
    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const scope = Object.freeze(flattenScope(scopeMetrics.scope));
      for (const metric of scopeMetrics.metrics) {
        flat.push({
          name: metric.name,
          description: metric.description,
          unit: metric.unit,
          ...summarizeData(metric.data),
          resource,
          scope,
        });
      }
    }
  }
  return flat;
}

type MetricData = Pick<FlatMetric, "type" | "temporality" | "monotonic" | "dataPoints">;

function summarizeData(data: Metric["data"]): MetricData {
  switch (data.case) {
    case "gauge":
      return {
        type: "gauge",
        temporality: null,
        monotonic: null,
        dataPoints: data.value.dataPoints.map(numberPoint),
      };
    case "sum":
      return {
        type: "sum",
        temporality: temporality(data.value.aggregationTemporality),
        monotonic: data.value.isMonotonic,
        dataPoints: data.value.dataPoints.map(numberPoint),
      };
    case "histogram":
    case "exponentialHistogram":
      return {
        type: data.case === "histogram" ? "histogram" : "exponential_histogram",
        temporality: temporality(data.value.aggregationTemporality),
        monotonic: null,
        dataPoints: data.value.dataPoints.map((point) => ({
          ...pointBase(point),
          count: flattenInt64(point.count),
          ...(point.sum === undefined ? {} : { sum: flattenDouble(point.sum) }),
        })),
      };
    case "summary":
      return {
        type: "summary",
        temporality: null,
        monotonic: null,
        dataPoints: data.value.dataPoints.map((point) => ({
          ...pointBase(point),
          count: flattenInt64(point.count),
          sum: flattenDouble(point.sum),
        })),
      };
    default:
      return { type: "empty", temporality: null, monotonic: null, dataPoints: [] };
  }
}

function numberPoint(point: NumberDataPoint): FlatDataPoint {
  const base = pointBase(point);
  switch (point.value.case) {
    case "asInt":
      return { ...base, value: flattenInt64(point.value.value) };
    case "asDouble":
      return { ...base, value: flattenDouble(point.value.value) };
    default:
      return base;
  }
}

function pointBase(
  point: Pick<NumberDataPoint, "startTimeUnixNano" | "timeUnixNano" | "attributes">,
): FlatDataPoint {
  return {
    startTimeUnixNano: point.startTimeUnixNano.toString(),
    timeUnixNano: point.timeUnixNano.toString(),
    attributes: flattenKeyValues(point.attributes),
  };
}

function temporality(value: number): FlatTemporality {
  return TEMPORALITIES[value] ?? `${value}`;
}
