/**
 * The most items (records, spans, metrics, data points, attributes and values: every nested
 * message or JSON object) one Export request may hold, for a body limit of `maxBytes`: one per
 * 32 bytes of the largest body, at least 4,096. The default 16 MiB limit allows 524,288, about
 * fifty times what Codex's largest request holds (a long answer: 229 records of about 20
 * attributes), while a body of tiny records can no longer make the decoder build tens of millions
 * of objects.
 *
 * @example
 * ```ts
 * import { otlpItemBudget } from "./otlp_item_budget.ts";
 * otlpItemBudget(16 * 1024 * 1024); // 524288
 * ```
 */
export function otlpItemBudget(maxBytes: number): number {
  return Math.max(4096, Math.floor(maxBytes / 32));
}

/** The message of a request refused for holding more than `budget` items (HTTP 413). */
export function tooManyItemsMessage(budget: number): string {
  return `Request holds more than ${budget.toLocaleString("en-US")} items (records, ` +
    "attributes and values; the limit follows collector.max_request_bytes): send smaller batches";
}
