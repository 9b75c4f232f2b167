import type { TokenUsageEvent } from "../../events/beacon_event.ts";
import type { ClassifyContext } from "../../events/classify_context.ts";
import { normaliseLargeCount, normaliseNumber } from "../../events/normalise_attribute_value.ts";
import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
import { classifyClaudeCodeCommonFields } from "./classify_claude_code_common_fields.ts";

/**
 * A `token_usage` event from a `claude_code.api_request` record (one per model request):
 * `input_tokens`, `output_tokens`, `cache_read_tokens` as `cached_tokens`,
 * `cache_creation_tokens` as `cache_write_tokens`, the cost Claude Code computed (`cost_usd`),
 * the request's latency (`duration_ms`) and time to first token (`ttft_ms`), and the model.
 * Numbers may arrive as ints, doubles or strings. A record without input or output counts gives
 * no event.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PolicySchema } from "../../policy/policy_schema.ts";
 * import type { FlatLogRecord } from "../../otlp/flatten_log_records.ts";
 * const record = {
 *   body: "claude_code.api_request",
 *   attributes: { model: "claude-opus-5-5", input_tokens: 1501, output_tokens: "42", cost_usd: 0.0078798 },
 *   resource: {}, observedTimeUnixNano: 0n, timeUnixNano: 1n, traceId: "", spanId: "", eventName: "",
 * } as unknown as FlatLogRecord;
 * const event = classifyClaudeCodeApiRequest(record, { policy: v.parse(PolicySchema, {}), receivedAt: new Date() });
 * event?.output_tokens; // 42
 * event?.cost_usd; // 0.0078798
 * ```
 */
export function classifyClaudeCodeApiRequest(
  record: FlatLogRecord,
  context: ClassifyContext,
): TokenUsageEvent | undefined {
  const attributes = record.attributes;
  const inputTokens = normaliseLargeCount(attributes["input_tokens"]);
  const outputTokens = normaliseLargeCount(attributes["output_tokens"]);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  const event = classifyClaudeCodeCommonFields(record, context, "token_usage") as TokenUsageEvent;
  event.input_tokens = inputTokens;
  event.output_tokens = outputTokens;
  const cached = normaliseLargeCount(attributes["cache_read_tokens"]);
  if (cached !== undefined) event.cached_tokens = cached;
  const cacheWrite = normaliseLargeCount(attributes["cache_creation_tokens"]);
  if (cacheWrite !== undefined) event.cache_write_tokens = cacheWrite;
  const ttft = normaliseNumber(attributes["ttft_ms"]);
  if (ttft !== undefined) event.ttft_ms = ttft;
  const duration = normaliseNumber(attributes["duration_ms"]);
  if (duration !== undefined) event.duration_ms = duration;
  const cost = normaliseNumber(attributes["cost_usd"]);
  if (cost !== undefined && cost >= 0) event.cost_usd = cost;
  return event;
}
