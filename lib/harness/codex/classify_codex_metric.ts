import type { BeaconMetric, BeaconMetricPoint, MetricEvent } from "../../events/beacon_event.ts";
import { beaconEventId } from "../../events/beacon_event_id.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { eventTime } from "../../events/event_time.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
import { scrubAttributes } from "../../events/scrub_attributes.ts";
import { scrubSecrets } from "../../content/scrub_secrets.ts";
import type { FlatMetric } from "../../otlp/summarize_metrics.ts";

/**
 * A `metric` event from one Codex metric stream, or undefined when the policy leaves metrics
 * out (`harnesses.codex.include_metrics = false`, the default).
 *
 * Each data point keeps its times and value (or count and sum); its attributes go through
 * `scrubAttributes` like a span's. The resource and scope are left out. `time` is the latest
 * data point's time; `session_id` is null (Codex's metrics carry no session). The id hashes the
 * metric's name and type with every point's times and scrubbed attributes: all of it is in the
 * event already, so the id reveals nothing the event does not.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatMetric } from "../../otlp/summarize_metrics.ts";
 * const metric = {
 *   name: "codex.tool.call", description: "", unit: "", type: "sum", temporality: "delta",
 *   monotonic: true, resource: {}, scope: { name: "codex", version: "" },
 *   dataPoints: [{ startTimeUnixNano: "0", timeUnixNano: "1000000", attributes: { tool: "exec_command" }, value: 1 }],
 * } as FlatMetric;
 * const policy = v.parse(PolicySchema, { harnesses: { codex: { include_metrics: true } } });
 * classifyCodexMetric(metric, { policy, receivedAt: new Date() })?.metric.data_points[0].value; // 1
 * ```
 */
export function classifyCodexMetric(
  metric: FlatMetric,
  context: ClassifyContext,
): MetricEvent | undefined {
  if (!context.policy.harnesses.codex.include_metrics) return undefined;
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
      "codex",
      "metric",
      name,
      metric.type,
      JSON.stringify(dataPoints.map(({ value: _v, count: _c, sum: _s, ...identity }) => identity)),
    ]),
    time: eventTime({ timeUnixNano: latest, receivedAt: context.receivedAt }),
    harness: "codex",
    harness_version: normaliseString(metric.resource["service.version"]) ?? null,
    kind: "metric",
    session_id: null,
    source_event: name,
    environment: normaliseString(metric.resource["env"]),
    metric: payload,
  });
}

function safeBigInt(text: string): bigint {
  try {
    return BigInt(text);
  } catch {
    return 0n;
  }
}
