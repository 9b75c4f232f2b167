import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { ExportMetricsServiceRequestSchema } from "./gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.ts";
import { summarizeMetrics } from "./summarize_metrics.ts";

const attributes = [{
  key: "tool",
  value: { value: { case: "stringValue" as const, value: "x" } },
}];
const request = create(ExportMetricsServiceRequestSchema, {
  resourceMetrics: [{
    resource: {
      attributes: [{ key: "os", value: { value: { case: "stringValue", value: "Debian" } } }],
    },
    scopeMetrics: [{
      scope: { name: "codex" },
      metrics: [
        {
          name: "codex.tool.call",
          data: {
            case: "sum",
            value: {
              aggregationTemporality: 1,
              isMonotonic: true,
              dataPoints: [
                {
                  attributes,
                  startTimeUnixNano: 1n,
                  timeUnixNano: 2n,
                  value: { case: "asInt", value: 2n ** 60n },
                },
                { value: { case: "asDouble", value: 0.25 } },
                {},
              ],
            },
          },
        },
        {
          name: "codex.turn.e2e_duration_ms",
          unit: "ms",
          description: "Turn duration.",
          data: {
            case: "histogram",
            value: {
              aggregationTemporality: 2,
              dataPoints: [{ count: 3n, sum: 12.5, bucketCounts: [1n, 2n] }, { count: 0n }],
            },
          },
        },
        {
          name: "expo",
          data: { case: "exponentialHistogram", value: { dataPoints: [{ count: 1n, sum: NaN }] } },
        },
        {
          name: "gauge",
          data: {
            case: "gauge",
            value: { dataPoints: [{ value: { case: "asInt", value: -1n } }] },
          },
        },
        {
          name: "summary",
          data: { case: "summary", value: { dataPoints: [{ count: 4n, sum: 2 }] } },
        },
        { name: "nothing" },
      ],
    }],
  }],
});

Deno.test("summarizeMetrics reduces sums to time, attributes and value", () => {
  const [sum] = summarizeMetrics(request);
  assert.deepEqual(sum, {
    name: "codex.tool.call",
    description: "",
    unit: "",
    type: "sum",
    temporality: "delta",
    monotonic: true,
    resource: { os: "Debian" },
    scope: { name: "codex", version: "" },
    dataPoints: [
      {
        startTimeUnixNano: "1",
        timeUnixNano: "2",
        attributes: { tool: "x" },
        value: "1152921504606846976",
      },
      { startTimeUnixNano: "0", timeUnixNano: "0", attributes: {}, value: 0.25 },
      { startTimeUnixNano: "0", timeUnixNano: "0", attributes: {} },
    ],
  });
});

Deno.test("summarizeMetrics reduces histograms and summaries to count and sum", () => {
  const [, histogram, expo, gauge, summary, nothing] = summarizeMetrics(request);
  assert.equal(histogram.type, "histogram");
  assert.equal(histogram.unit, "ms");
  assert.equal(histogram.description, "Turn duration.");
  assert.equal(histogram.temporality, "cumulative");
  assert.equal(histogram.monotonic, null);
  assert.deepEqual(histogram.dataPoints.map(({ count, sum }) => ({ count, sum })), [
    { count: 3, sum: 12.5 },
    { count: 0, sum: undefined },
  ]);
  assert.ok(!("sum" in histogram.dataPoints[1]), "an unrecorded sum is left out");
  assert.equal(expo.type, "exponential_histogram");
  assert.equal(expo.temporality, "unspecified");
  assert.equal(expo.dataPoints[0].sum, "NaN");
  assert.equal(gauge.type, "gauge");
  assert.equal(gauge.temporality, null);
  assert.equal(gauge.dataPoints[0].value, -1);
  assert.deepEqual(summary.dataPoints[0].count, 4);
  assert.deepEqual(summary.dataPoints[0].sum, 2);
  assert.equal(nothing.type, "empty");
  assert.deepEqual(nothing.dataPoints, []);
  assert.doesNotThrow(() => JSON.stringify(summarizeMetrics(request)));
});
