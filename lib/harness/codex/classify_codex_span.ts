import type { BeaconSpan, SpanEvent } from "../../events/beacon_event.ts";
import { beaconEventId } from "../../events/beacon_event_id.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { eventTime } from "../../events/event_time.ts";
import { normaliseString } from "../../events/normalise_attribute_value.ts";
import { omitUndefined } from "../../events/omit_undefined.ts";
import { scrubAttributes } from "../../events/scrub_attributes.ts";
import { scrubSecrets } from "../../content/scrub_secrets.ts";
import type { FlatSpan } from "../../otlp/flatten_spans.ts";

/**
 * A `span` event from one Codex span, or undefined when the policy leaves spans out
 * (`harnesses.codex.include_spans = false`, the default).
 *
 * The span is compacted: the resource and scope are left out (the resource's `env` and
 * `service.version` become `environment` and `harness_version`), and its attributes and its
 * events' attributes go through `scrubAttributes`: content-named attributes (`cwd`, `prompt`,
 * ...) become ContentFields under the policy's rules, every other string is scrubbed of secrets.
 * The name, status message and trace state are scrubbed of secrets too. `time` is the span's
 * start, `session_id` the `conversation.id` of the span or else of its first event having one.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatSpan } from "../../otlp/flatten_spans.ts";
 * const span = {
 *   name: "run_turn", kind: "internal", traceId: "ab", spanId: "cd", parentSpanId: "", traceState: "",
 *   startTimeUnixNano: "1000000", endTimeUnixNano: "3000000", status: { code: "unset", message: "" },
 *   attributes: {}, resource: {}, scope: { name: "codex_exec", version: "" }, events: [],
 * } as FlatSpan;
 * const policy = v.parse(PolicySchema, { harnesses: { codex: { include_spans: true } } });
 * classifyCodexSpan(span, { policy, receivedAt: new Date() })?.span.duration_ms; // 2
 * ```
 */
export function classifyCodexSpan(span: FlatSpan, context: ClassifyContext): SpanEvent | undefined {
  if (!context.policy.harnesses.codex.include_spans) return undefined;
  const sessionId = [span.attributes, ...span.events.map((event) => event.attributes)]
    .map((attributes) => normaliseString(attributes["conversation.id"]))
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
    id: beaconEventId(["codex", "span", span.traceId, span.spanId, span.startTimeUnixNano]),
    time: eventTime({ timeUnixNano: span.startTimeUnixNano, receivedAt: context.receivedAt }),
    harness: "codex",
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
