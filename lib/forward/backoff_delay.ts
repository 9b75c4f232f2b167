/**
 * How long to wait before retrying a batch, and what an answer means for it.
 *
 * @module
 */

/** Retry timing of a destination. */
export interface BackoffPolicy {
  /** The first retry's base delay, ms. */
  initialMs: number;
  /** The longest delay, ms (also the cap on a gateway's Retry-After). */
  maxMs: number;
}

/**
 * Exponential backoff with full jitter: a delay drawn from [base/2, base], where base doubles per
 * failed attempt from `initialMs` up to `maxMs`. `attempt` counts failures so far (1 = the first
 * failure). `random` is `Math.random` in production; tests pass a fixed value. Pure.
 *
 * @example
 * ```ts
 * backoffDelay(1, { initialMs: 1000, maxMs: 60_000 }, () => 1); // 1000
 * backoffDelay(3, { initialMs: 1000, maxMs: 60_000 }, () => 0); // 2000
 * ```
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.min(
    policy.maxMs,
    policy.initialMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)),
  );
  return Math.round(base / 2 + (base / 2) * random());
}

/**
 * A `Retry-After` header (seconds, or an HTTP date) as milliseconds from `now`, capped at
 * `maxMs`; `null` when absent or unreadable. Pure.
 */
export function retryAfterMs(header: string | null, now: Date, maxMs: number): number | null {
  if (!header) return null;
  const text = header.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    // An HTTP date (all three forms RFC 9110 names start with the weekday); anything else
    // ("1.5", "-5") is unreadable, though Date.parse would make a date of it.
    if (!/^(mon|tue|wed|thu|fri|sat|sun)/i.test(text)) return null;
    const at = Date.parse(text);
    if (!Number.isFinite(at)) return null;
    ms = at - now.getTime();
  }
  return Math.max(0, Math.min(ms, maxMs));
}

/** What to do with a batch after the gateway answered with `status`. */
export type SendOutcome = "delivered" | "retry" | "rejected";

/**
 * OTLP/HTTP's rules: 2xx delivered; 408, 429, 5xx (OTLP names 502, 503, 504; a 500 from a
 * gateway behind a proxy is usually passing too) retried; any other 4xx and anything else is
 * a permanent refusal: retrying the same bytes cannot succeed, so the batch is counted and
 * skipped. Pure.
 */
export function sendOutcomeOf(status: number): SendOutcome {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "rejected";
}

/**
 * OTLP/gRPC's rules: OK delivered; CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE,
 * UNAVAILABLE and DATA_LOSS retried; RESOURCE_EXHAUSTED retried only when the server sent a
 * RetryInfo (it can recover), refused otherwise; every other code (INVALID_ARGUMENT,
 * UNAUTHENTICATED, PERMISSION_DENIED, UNIMPLEMENTED, ...) is a permanent refusal. Pure.
 */
export function grpcOutcomeOf(code: number, hasRetryInfo: boolean): SendOutcome {
  if (code === 0) return "delivered";
  if (RETRYABLE_GRPC_CODES.has(code)) return "retry";
  if (code === 8) return hasRetryInfo ? "retry" : "rejected";
  return "rejected";
}

// CANCELLED 1, DEADLINE_EXCEEDED 4, ABORTED 10, OUT_OF_RANGE 11, UNAVAILABLE 14, DATA_LOSS 15
const RETRYABLE_GRPC_CODES = new Set([1, 4, 10, 11, 14, 15]);
