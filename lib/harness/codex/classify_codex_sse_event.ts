import type { TokenUsageEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import {
  normaliseLargeCount,
  normaliseNumber,
  normaliseString,
} from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyCodexCommonFields } from "./classify_codex_common_fields.ts";

/**
 * A `token_usage` event from a `codex.sse_event` record, or undefined (dropped).
 *
 * Codex writes one `codex.sse_event` per streamed model event (each text delta, each output
 * item): only `event.kind = response.completed` matters, and Codex 0.169 sends two such records
 * per response: one with only `duration_ms` and one with the token counts. Only a record with
 * both `input_token_count` and `output_token_count` becomes an event, so every model response is
 * counted once. Token counts must be non-negative integers.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   attributes: { "event.name": "codex.sse_event", "event.kind": "response.completed",
 *     input_token_count: "1230", output_token_count: "25", cached_token_count: 615 },
 *   resource: {}, observedTimeUnixNano: 1n, timeUnixNano: 0n, traceId: "", spanId: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyCodexSseEvent(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * [event?.input_tokens, event?.cached_tokens]; // [1230, 615]
 * ```
 */
export function classifyCodexSseEvent(
  record: FlatLogRecord,
  context: ClassifyContext,
): TokenUsageEvent | undefined {
  const attributes = record.attributes;
  if (normaliseString(attributes["event.kind"])?.trim() !== "response.completed") return undefined;
  const inputTokens = normaliseLargeCount(attributes["input_token_count"]);
  const outputTokens = normaliseLargeCount(attributes["output_token_count"]);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  const event = classifyCodexCommonFields(record, context, "token_usage") as TokenUsageEvent;
  event.input_tokens = inputTokens;
  event.output_tokens = outputTokens;
  const cached = normaliseLargeCount(attributes["cached_token_count"]);
  if (cached !== undefined) event.cached_tokens = cached;
  const cacheWrite = normaliseLargeCount(attributes["cache_write_token_count"]);
  if (cacheWrite !== undefined) event.cache_write_tokens = cacheWrite;
  const reasoning = normaliseLargeCount(attributes["reasoning_token_count"]);
  if (reasoning !== undefined) event.reasoning_tokens = reasoning;
  const tool = normaliseLargeCount(attributes["tool_token_count"]);
  if (tool !== undefined) event.tool_tokens = tool;
  const ttft = normaliseNumber(attributes["ttft_ms"]);
  if (ttft !== undefined) event.ttft_ms = ttft;
  const duration = normaliseNumber(attributes["duration_ms"]);
  if (duration !== undefined) event.duration_ms = duration;
  return event;
}
