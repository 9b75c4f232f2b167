import type { BeaconHarness, BeaconSpan, SpanEvent } from "../events/beacon_event.ts";
import { beaconEventId } from "../events/beacon_event_id.ts";
import type { ClassifyContext } from "../events/classify_context.ts";
import { eventTime } from "../events/event_time.ts";
import { normaliseString } from "../events/normalise_attribute_value.ts";
import { omitUndefined } from "../events/omit_undefined.ts";
import { scrubAttributes } from "../events/scrub_attributes.ts";
import { scrubSecrets } from "../content/scrub_secrets.ts";
import type { FlatSpan } from "../otlp/flatten_spans.ts";

/** Which harness a raw span or metric stream is from, and where its session id is. */
export interface RawTelemetrySource {
  harness: BeaconHarness;
  /** The attribute naming the session (Codex: `conversation.id`; Claude Code: `session.id`). */
  sessionAttribute?: string;
}

/**
 * A `span` event from one raw span of a harness (asked for with its `include_spans`; the caller
 * decides, see `classifyHarnessExport`), compacted and scrubbed the same way for every harness.
 *
 * The resource and scope are left out (the resource's `env` and `service.version` become
 * `environment` and `harness_version`), and its attributes and its events' attributes go
 * through `scrubAttributes`: content-named attributes (`cwd`, `prompt`, ...) become
 * ContentFields under the policy's rules, every other string is scrubbed of secrets. The name,
 * status message and trace state are scrubbed of secrets too. `time` is the span's start,
 * `session_id` the source's session attribute on the span or else on its first event having one.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../policy/policy_schema.ts";
 * import type { FlatSpan } from "../otlp/flatten_spans.ts";
 * const span = {
 *   name: "run_turn", kind: "internal", traceId: "ab", spanId: "cd", parentSpanId: "", traceState: "",
 *   startTimeUnixNano: "1000000", endTimeUnixNano: "3000000", status: { code: "unset", message: "" },
 *   attributes: {}, resource: {}, scope: { name: "codex_exec", version: "" }, events: [],
 * } as FlatSpan;
 * const context = { policy: v.parse(PolicySchema, {}), receivedAt: new Date() };
 * classifyRawSpan(span, context, { harness: "codex", sessionAttribute: "conversation.id" })
 *   .span.duration_ms; // 2
 * ```
 */
export function classifyRawSpan(
  span: FlatSpan,
  context: ClassifyContext,
  source: RawTelemetrySource,
): SpanEvent {
  const sessionAttribute = source.sessionAttribute;
  const sessionId = sessionAttribute === undefined
    ? null
    : [span.attributes, ...span.events.map((event) => event.attributes)]
      .map((attributes) => normaliseString(attributes[sessionAttribute]))
      .find((id) => id !== undefined) ?? null;
  const payload = omitUndefined<BeaconSpan>({
    name: scrubSecrets(span.name).text,
    span_kind: span.kind,
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    trace_state: span.traceState === "" ? undefined : scrubSecrets(span.traceState).text,
    start_time_unix_nano: span.startTimeUnixNano,
    end_time_unix_nano: span.endTimeUnixNano,
    duration_ms: durationMs(span.startTimeUnixNano, span.endTimeUnixNano),
    status_code: span.status.code,
    status_message: span.status.message === "" ? undefined : scrubSecrets(span.status.message).text,
    ...scrubAttributes(span.attributes, context.policy),
    events: span.events.map((event) => ({
      name: scrubSecrets(event.name).text,
      time_unix_nano: event.timeUnixNano,
      ...scrubAttributes(event.attributes, context.policy),
    })),
  });
  return omitUndefined<SpanEvent>({
    schema_version: 1,
    id: beaconEventId([source.harness, "span", span.traceId, span.spanId, span.startTimeUnixNano]),
    time: eventTime({ timeUnixNano: span.startTimeUnixNano, receivedAt: context.receivedAt }),
    harness: source.harness,
    harness_version: normaliseString(span.resource["service.version"]) ?? null,
    kind: "span",
    session_id: sessionId,
    source_event: payload.name,
    environment: normaliseString(span.resource["env"]),
    trace_id: span.traceId || undefined,
    span_id: span.spanId || undefined,
    span: payload,
  });
}

/** End minus start in milliseconds (3 decimals); 0 when either is unset or end < start. */
function durationMs(start: string, end: string): number {
  try {
    const startNs = BigInt(start);
    const endNs = BigInt(end);
    if (startNs <= 0n || endNs <= startNs) return 0;
    return Number((endNs - startNs) / 1000n) / 1000;
  } catch {
    return 0;
  }
}
