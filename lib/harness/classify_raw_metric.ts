import type { BeaconMetric, BeaconMetricPoint, MetricEvent } from "../events/beacon_event.ts";
import { beaconEventId } from "../events/beacon_event_id.ts";
import type { ClassifyContext } from "../events/classify_context.ts";
import { eventTime } from "../events/event_time.ts";
import { normaliseString } from "../events/normalise_attribute_value.ts";
import { omitUndefined } from "../events/omit_undefined.ts";
import { scrubAttributes } from "../events/scrub_attributes.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import type { FlatMetric } from "../otlp/summarize_metrics.ts";
import type { RawTelemetrySource } from "./classify_raw_span.ts";

/**
 * A `metric` event from one raw metric stream of a harness (asked for with its
 * `include_metrics`; the caller decides, see `classifyHarnessExport`).
 *
 * Each data point keeps its times and value (or count and sum); its attributes go through
 * `scrubAttributes` like a span's. The resource and scope are left out. `time` is the latest
 * data point's time; `session_id` the source's session attribute on the first data point having
 * one, else null (Codex's metrics carry no session). The id hashes the metric's name and type
 * with every point's times and scrubbed attributes: all of it is in the event already, so the id
 * reveals nothing the event does not.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import type { FlatMetric } from "../otlp/summarize_metrics.ts";
 * const metric = {
 *   name: "codex.tool.call", description: "", unit: "", type: "sum", temporality: "delta",
 *   monotonic: true, resource: {}, scope: { name: "codex", version: "" },
 *   dataPoints: [{ startTimeUnixNano: "0", timeUnixNano: "1000000", attributes: { tool: "exec_command" }, value: 1 }],
 * } as FlatMetric;
 * const context = { policy: v.parse(PolicySchema, {}), receivedAt: new Date() };
 * classifyRawMetric(metric, context, { harness: "codex" }).metric.data_points[0].value; // 1
 * ```
 */
export function classifyRawMetric(
  metric: FlatMetric,
  context: ClassifyContext,
  source: RawTelemetrySource,
): MetricEvent {
  const name = scrubSecrets(metric.name).text;
  const dataPoints = metric.dataPoints.map((point) =>
    omitUndefined<BeaconMetricPoint>({
      start_time_unix_nano: point.startTimeUnixNano,
      time_unix_nano: point.timeUnixNano,
      ...scrubAttributes(point.attributes, context.policy),
      value: point.value,
      count: point.count,
      sum: point.sum,
    })
  );
  const payload = omitUndefined<BeaconMetric>({
    name,
    description: metric.description === "" ? undefined : scrubSecrets(metric.description).text,
    unit: metric.unit === "" ? undefined : metric.unit,
    metric_type: metric.type,
    temporality: metric.temporality,
    monotonic: metric.monotonic,
    data_points: dataPoints,
  });
  const latest = metric.dataPoints.reduce(
    (max, point) => {
      const time = safeBigInt(point.timeUnixNano);
      return time > max ? time : max;
    },
    0n,
  );
  return omitUndefined<MetricEvent>({
    schema_version: 1,
    id: beaconEventId([
      source.harness,
      "metric",
      name,
      metric.type,
      JSON.stringify(dataPoints.map(({ value: _v, count: _c, sum: _s, ...identity }) => identity)),
    ]),
    time: eventTime({ timeUnixNano: latest, receivedAt: context.receivedAt }),
    harness: source.harness,
    harness_version: normaliseString(metric.resource["service.version"]) ?? null,
    kind: "metric",
    session_id: sessionOf(metric, source.sessionAttribute),
    source_event: name,
    environment: normaliseString(metric.resource["env"]),
    metric: payload,
  });
}

function sessionOf(metric: FlatMetric, attribute: string | undefined): string | null {
  if (attribute === undefined) return null;
  for (const point of metric.dataPoints) {
    const id = normaliseString(point.attributes[attribute]);
    if (id !== undefined) return id;
  }
  return null;
}

function safeBigInt(text: string): bigint {
  try {
    return BigInt(text);
  } catch {
    return 0n;
  }
}
